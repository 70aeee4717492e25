import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { AuditEventDocument } from '@cairn/event-schema';
import { matchesFeedFilter } from '../feed-filter';
import type { PushFeed } from './push-config';

/** Hands a batch of events to a receiver; resolves once the receiver has taken all of them. */
export interface Delivery {
  deliver(documents: readonly AuditEventDocument[]): Promise<void>;
  close(): void;
}

export interface PushLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** What an operator sees of one push feed (metrics, /status). */
export interface PushStatus {
  readonly feed: string;
  delivered: number;
  skipped: number;
  lag: number;
  lastDeliveryAt?: Date;
  lastError?: { at: Date; message: string };
}

const CHUNK = 500;
const SLICE_MS = 50;
const HEARTBEAT_EVERY_MS = 1_000;

/**
 * One push feed: its own consumer group on the ECS feed topic, each chunk filtered, delivered and
 * only then committed. A receiver that is down is retried with backoff while the partition is
 * paused, so the backlog waits in Kafka and memory stays flat; a stop abandons the chunk uncommitted.
 */
export class FeedPusher {
  private readonly consumer: Consumer;
  private readonly maxDelayMs: number;
  readonly groupId: string;
  readonly status: PushStatus;

  constructor(
    kafka: Kafka,
    private readonly feed: PushFeed,
    private readonly topic: string,
    private readonly delivery: Delivery,
    private readonly log: PushLog,
    options: { groupPrefix?: string; sessionTimeoutMs?: number; maxDelayMs?: number } = {},
  ) {
    this.groupId = `${options.groupPrefix ?? 'cairn-feed'}-${feed.name}`;
    this.consumer = kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: options.sessionTimeoutMs ?? 10_000,
      allowAutoTopicCreation: false,
      maxBytes: 8 * 1024 * 1024,
    });
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.status = { feed: feed.name, delivered: 0, skipped: 0, lag: 0 };
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    // A new feed starts at the beginning of what the topic still holds: nothing stored is skipped.
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.handle(payload),
    });
    this.log.info({ feed: this.feed.name, topic: this.topic }, 'push feed consuming');
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    this.delivery.close();
  }

  private async handle(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    this.status.lag = Number(batch.offsetLag());
    for (let start = 0; start < batch.messages.length; start += CHUNK) {
      if (!payload.isRunning() || payload.isStale()) return;
      const chunk = batch.messages.slice(start, start + CHUNK);
      if (!(await this.deliverUntilTaken(this.documentsOf(chunk), payload))) return;
      const last = chunk[chunk.length - 1].offset;
      payload.resolveOffset(last);
      await this.consumer.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
      ]);
      await payload.heartbeat();
    }
  }

  private documentsOf(messages: readonly KafkaMessage[]): AuditEventDocument[] {
    const documents: AuditEventDocument[] = [];
    for (const message of messages) {
      // Only Cairn writes this topic; a record that is not an event is logged, never silently lost.
      let document: AuditEventDocument;
      try {
        document = JSON.parse(String(message.value)) as AuditEventDocument;
      } catch (error) {
        this.log.error(
          { feed: this.feed.name, offset: message.offset, err: error },
          'feed record is not an event',
        );
        this.status.skipped += 1;
        continue;
      }
      if (matchesFeedFilter(document, this.feed.filter)) documents.push(document);
      else this.status.skipped += 1;
    }
    return documents;
  }

  /** False when the consumer stopped (or lost the partition) before the receiver took the chunk. */
  private async deliverUntilTaken(
    documents: AuditEventDocument[],
    payload: EachBatchPayload,
  ): Promise<boolean> {
    let resume: (() => void) | undefined;
    try {
      for (let attempt = 0; ; attempt += 1) {
        try {
          await this.delivery.deliver(documents);
          this.status.delivered += documents.length;
          if (documents.length > 0) this.status.lastDeliveryAt = new Date();
          return true;
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          this.status.lastError = { at: new Date(), message };
          resume ??= payload.pause();
          const delay = Math.min(this.maxDelayMs, 250 * 2 ** Math.min(attempt, 10));
          this.log.warn(
            { feed: this.feed.name, reason: message, retryInMs: delay },
            'receiver did not take the batch',
          );
          // Heartbeats go on while it waits: a member silent past the session timeout is put out of
          // the group, and its uncommitted chunk would then be delivered twice.
          for (let slept = 0; slept < delay; slept += SLICE_MS) {
            if (!payload.isRunning() || payload.isStale()) return false;
            await new Promise((resolve) => setTimeout(resolve, SLICE_MS));
            if (slept % HEARTBEAT_EVERY_MS < SLICE_MS) await payload.heartbeat();
          }
        }
      }
    } finally {
      resume?.();
    }
  }
}
