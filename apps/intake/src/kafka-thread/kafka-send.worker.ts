import { parentPort, workerData } from 'node:worker_threads';
import { createCompleteProducer, createKafka, kafkaErrorType } from '@cairn/kafka';
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
