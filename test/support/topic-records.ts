import { eventually, kafka } from './local-stack';

export interface TopicRecord {
  readonly key: string;
  readonly value: string;
  readonly headers: Record<string, string>;
  readonly partition: number;
  readonly offset: string;
}

/** Reads a topic from the beginning until `count` records are there, then a little longer (repeats show). */
export async function readTopic(topic: string, count: number, settleMs = 1_500): Promise<TopicRecord[]> {
  const consumer = kafka().consumer({ groupId: `reader-${Math.random().toString(36).slice(2)}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const records: TopicRecord[] = [];
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      records.push({
        key: String(message.key),
        value: String(message.value),
        headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
        partition,
        offset: message.offset,
      });
    },
  });
  try {
    await eventually(
      async () => (records.length >= count ? true : undefined),
      `${count} records on ${topic}`,
    );
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    return records;
  } finally {
    await consumer.disconnect();
  }
}
