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
