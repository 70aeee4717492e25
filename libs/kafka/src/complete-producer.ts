import {
  KafkaJSError,
  Partitioners,
  type ICustomPartitioner,
  type Kafka,
  type Message,
  type Producer,
  type ProducerBatch,
  type ProducerConfig,
  type ProducerRecord,
  type RecordMetadata,
  type TopicMessages,
} from 'kafkajs';

/** How many times messages left out of an answer are sent again before the send fails. */
const MAX_RESENDS = 5;

const partitionKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * A kafkajs producer whose sends resolve only when every message's partition has answered.
 *
 * kafkajs 2.2.4 (its open issue 1303) can resolve a send while some messages were never sent: it
 * keeps answers per broker across retries, so when a partition's leader dies mid-send and the
 * partition moves to a broker that already answered for its own partitions, the moved
 * partition's messages are skipped, and the caller is told they were written. The local cluster
 * suite lost 42–104 acknowledged messages that way in 8 of 17 leader kills. Here each message
 * keeps the partition it was first given (kafkajs asks the partitioner again on every retry, and
 * the default one deals keyless messages round-robin), and whatever the answer does not cover is
 * sent again to that partition (at least once, as any retry; Cairn's consumers deduplicate by
 * event id).
 */
export function createCompleteProducer(kafka: Kafka, config: ProducerConfig = {}): Producer {
  const { createPartitioner, partitionOf } = stickyPartitioner(
    config.createPartitioner ?? Partitioners.DefaultPartitioner,
  );
  const producer = kafka.producer({ ...config, createPartitioner });
  const sendBatch = (batch: ProducerBatch) => sendCompletely(producer, batch, partitionOf);
  const send = ({ topic, messages, ...options }: ProducerRecord) =>
    sendBatch({ ...options, topicMessages: [{ topic, messages }] });
  return { ...producer, send, sendBatch };
}

/**
 * A partitioner that gives each message the partition `chosen` gave it the first time, every time
 * it is asked again, and tells which that was. Without it a retried keyless message can land in
 * another partition than the one whose answer is missing, and pass for acknowledged.
 */
export function stickyPartitioner(chosen: ICustomPartitioner): {
  createPartitioner: ICustomPartitioner;
  partitionOf: (message: Message) => number | undefined;
} {
  const partitions = new WeakMap<Message, number>();
  const createPartitioner: ICustomPartitioner = () => {
    const partitioner = chosen();
    return (args) => {
      const known = partitions.get(args.message);
      if (known !== undefined) return known;
      const partition = partitioner(args);
      partitions.set(args.message, partition);
      return partition;
    };
  };
  return { createPartitioner, partitionOf: (message) => partitions.get(message) };
}

/**
 * Sends the batch, then again what its answer left out, each time to the partition the message
 * was given. Exported for its unit test; use createCompleteProducer.
 */
export async function sendCompletely(
  producer: Pick<Producer, 'sendBatch'>,
  batch: ProducerBatch,
  partitionOf: (message: Message) => number | undefined,
): Promise<RecordMetadata[]> {
  const answers: RecordMetadata[] = [];
  let pending: TopicMessages[] = batch.topicMessages ?? [];
  for (let resend = 0; ; resend += 1) {
    const answer = await producer.sendBatch({ ...batch, topicMessages: pending });
    answers.push(...answer);
    // With acks 0 nothing answers: there is nothing to compare.
    if (batch.acks === 0) return answers;
    const answered = new Set(answer.map((entry) => partitionKey(entry.topicName, entry.partition)));
    pending = pending
      .map(({ topic, messages }) => ({
        topic,
        messages: messages
          .filter((message) => !answered.has(partitionKey(topic, partitionOf(message) ?? -1)))
          .map((message) => ({ ...message, partition: partitionOf(message) })),
      }))
      .filter(({ messages }) => messages.length > 0);
    if (pending.length === 0) return answers;
    if (resend === MAX_RESENDS) {
      const count = pending.reduce((sum, { messages }) => sum + messages.length, 0);
      throw new KafkaJSError(`${count} messages were not acknowledged after ${MAX_RESENDS} resends`, {
        retriable: true,
      });
    }
  }
}
