import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Producer, ProducerRecord } from 'kafkajs';
import type { KafkaConfig } from '@cairn/config';
import type { Logger } from '@cairn/logging';
import type { FromKafkaThread, KafkaThreadData, ThreadRecord, ToKafkaThread } from './kafka-thread.messages';

/** The Kafka thread's script beside main.js once built (webpack emits it); undefined from sources. */
export function kafkaThreadScript(): string | undefined {
  const script = join(__dirname, 'kafka-send.worker.js');
  return existsSync(script) ? script : undefined;
}

interface Waiting {
  resolve(): void;
  reject(error: Error): void;
}

/**
 * kafkajs's send on a thread of its own. Encoding a batch (its copies and CRC-32C, all in
 * JavaScript) costs more than everything else the intake does for a request, so on one thread it
 * would cap the intake at one core while requests wait; on its own thread the request thread only
 * reads bodies and hands them over, moving (not copying) each body's memory. A thread that dies
 * fails what it held (the senders get 503 and retry) and is started again on the next send.
 */
export class ThreadedProducer implements Pick<Producer, 'send'> {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;

  constructor(
    private readonly script: string,
    private readonly data: KafkaThreadData,
    private readonly log: Logger,
  ) {}

  static create(kafka: KafkaConfig, retries: number, log: Logger): ThreadedProducer | undefined {
    const script = kafkaThreadScript();
    return script ? new ThreadedProducer(script, { kafka, retries }, log) : undefined;
  }

  send(record: ProducerRecord): Promise<never[]> {
    const worker = this.worker ?? this.start();
    const id = (this.nextId += 1);
    const messages = record.messages.map((message) => ({
      value: message.value as Buffer,
      headers: message.headers as Record<string, string>,
    }));
    // A body that owns its whole memory is moved to the thread; a pooled slice is copied.
    const transfer = messages
      .map(({ value }) => value)
      .filter((value) => value.byteOffset === 0 && value.byteLength === value.buffer.byteLength)
      .map((value) => value.buffer as ArrayBuffer);
    const sent: ThreadRecord = {
      topic: record.topic,
      acks: record.acks ?? -1,
      ...(record.timeout !== undefined && { timeout: record.timeout }),
      ...(record.compression !== undefined && { compression: record.compression }),
      messages,
    };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: () => resolve([]), reject });
      worker.postMessage({ kind: 'send', id, record: sent } satisfies ToKafkaThread, transfer);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => void worker.terminate().then(() => resolve()), 10_000);
      worker.on('message', (message: FromKafkaThread) => {
        if (message.kind !== 'closed') return;
        clearTimeout(timer);
        void worker.terminate().then(() => resolve());
      });
      worker.postMessage({ kind: 'close' } satisfies ToKafkaThread);
    });
  }

  private start(): Worker {
    const worker = new Worker(this.script, { workerData: this.data });
    worker.on('message', (message: FromKafkaThread) => this.received(message));
    worker.on('error', (error) => this.log.error({ err: error }, 'intake Kafka thread failed'));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, waiting] of this.waiting) {
        this.waiting.delete(id);
        waiting.reject(new Error('the intake Kafka thread ended'));
      }
    });
    this.worker = worker;
    return worker;
  }

  private received(message: FromKafkaThread): void {
    switch (message.kind) {
      case 'log':
        this.log[message.level](message.fields, message.message);
        return;
      case 'closed':
        return;
      case 'sent':
      case 'failed': {
        const waiting = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        if (message.kind === 'sent') waiting?.resolve();
        else waiting?.reject(Object.assign(new Error(message.message), { type: message.type }));
      }
    }
  }
}
