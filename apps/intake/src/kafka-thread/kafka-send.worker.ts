import { parentPort, workerData } from 'node:worker_threads';
import { createCompleteProducer, createKafka } from '@cairn/kafka';
import type { FromKafkaThread, KafkaThreadData, ToKafkaThread } from './kafka-thread.messages';

/** The intake's Kafka thread (built as its own file): encodes and sends what the request thread hands it. */
const { kafka: config, retries } = workerData as KafkaThreadData;
const port = parentPort!;
const post = (message: FromKafkaThread) => port.postMessage(message);
const kafka = createKafka(
  config,
  { log: (level, message, fields) => post({ kind: 'log', level, message, fields }) },
  { retries },
);
const producer = createCompleteProducer(kafka, { allowAutoTopicCreation: false });
let connected: Promise<void> | undefined;

/**
 * The kafkajs error type (MESSAGE_TOO_LARGE, …) of an error or what it wraps. The same as
 * @cairn/intake's kafkaErrorType, on purpose not imported from it: that pulls @cairn/config and
 * with it every feature lib into this thread, which halved the intake's throughput (bench:intake
 * 0.45–0.54 with the import, 1.0–1.3 without, side by side on 2026-12-07).
 */
function kafkaErrorType(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth += 1) {
    const type = (current as { type?: unknown }).type;
    if (typeof type === 'string') return type;
    const next = current as { cause?: unknown; originalError?: unknown };
    current = next.cause ?? next.originalError;
  }
  return undefined;
}

port.on('message', (message: ToKafkaThread) => {
  if (message.kind === 'close') {
    void producer.disconnect().finally(() => post({ kind: 'closed' }));
    return;
  }
  const { id, record } = message;
  connected ??= producer.connect().catch((error: unknown) => {
    connected = undefined;
    throw error;
  });
  connected
    .then(() =>
      producer.send({
        ...record,
        messages: record.messages.map(({ value, headers }) => ({
          value: Buffer.from(value.buffer, value.byteOffset, value.byteLength),
          headers,
        })),
      }),
    )
    .then(
      () => post({ kind: 'sent', id }),
      (error: unknown) =>
        post({
          kind: 'failed',
          id,
          message: error instanceof Error ? error.message : String(error),
          type: kafkaErrorType(error),
        }),
    );
});
