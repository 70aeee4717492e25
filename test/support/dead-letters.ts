import type { Admin } from 'kafkajs';
import { DEAD_LETTER_HEADERS } from '@cairn/kafka';
import { eventually, kafka } from './local-stack';

export interface DeadLetterRecord {
  readonly value: Buffer | null;
  readonly headers: Record<string, string>;
}

/** Reads the dead-letter topic from the beginning until `count` records are there (or more, briefly). */
export async function readDeadLetters(
  topic: string,
  count: number,
  settleMs = 1_500,
): Promise<DeadLetterRecord[]> {
  const consumer = kafka().consumer({ groupId: `dlq-reader-${Math.random().toString(36).slice(2)}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const letters: DeadLetterRecord[] = [];
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers = Object.fromEntries(
        Object.entries(message.headers ?? {}).map(([key, value]) => [key, String(value)]),
      );
      letters.push({ value: message.value, headers });
    },
  });
  try {
    await eventually(async () => (letters.length >= count ? true : undefined), `${count} dead letters`);
    // A few more moments: a repeat would show up as an extra record.
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    return letters;
  } finally {
    await consumer.disconnect();
  }
}

/**
 * Every dead letter from the topic's start to its end as of the call, with the source position
 * and code each names: what an exact run compares with the bad messages it sent.
 */
export async function readDeadLettersToEnd(
  admin: Admin,
  topic: string,
  group: string,
): Promise<{ position: string; code: string }[]> {
  const ends = await admin.fetchTopicOffsets(topic);
  const remaining = new Map(ends.filter((e) => Number(e.high) > 0).map((e) => [e.partition, Number(e.high)]));
  const letters: { position: string; code: string }[] = [];
  if (remaining.size === 0) return letters;
  const consumer = kafka().consumer({ groupId: `${group}-verify-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ partition, message }) => {
        const header = (name: string) => message.headers?.[name]?.toString() ?? '';
        letters.push({
          position: `${header(DEAD_LETTER_HEADERS.topic)}/${header(DEAD_LETTER_HEADERS.partition)}/${header(DEAD_LETTER_HEADERS.offset)}`,
          code: header(DEAD_LETTER_HEADERS.code),
        });
        if (Number(message.offset) + 1 >= (remaining.get(partition) ?? 0)) remaining.delete(partition);
        if (remaining.size === 0) resolve();
      },
    });
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`dead letters not all read: ${JSON.stringify([...remaining])}`)),
      60_000,
    );
  });
  try {
    await Promise.race([done, timeout]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return letters;
}
