import { randomBytes } from 'node:crypto';
import type { IHeaders, Kafka } from 'kafkajs';
import { createCompleteProducer } from './complete-producer';
import { DEAD_LETTER_HEADERS } from './dead-letter.producer';

/** One dead letter as stored: why it failed, where it came from, and its original bytes. */
export interface StoredDeadLetter {
  readonly partition: number;
  readonly offset: string;
  readonly code?: string;
  readonly message?: string;
  readonly sourceTopic?: string;
  readonly sourcePartition?: string;
  readonly sourceOffset?: string;
  readonly firstFailure?: string;
  readonly attempts?: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** The intake's sender binding (cairn-intake-*), sent back with the bytes on a redrive. */
  readonly intake: Readonly<Record<string, string>>;
}

export interface DeadLetterFilter {
  readonly code?: string;
  readonly fromTopic?: string;
}

function text(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return value === undefined ? undefined : String(Array.isArray(value) ? value[0] : value);
}

/**
 * Every dead letter as the topic holds it now, read once from the beginning with a throw-away
 * group that commits nothing, so reading never changes what the next reader sees.
 */
export async function readDeadLetterTopic(
  kafka: Kafka,
  topic: string,
  filter: DeadLetterFilter = {},
): Promise<StoredDeadLetter[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const pending = new Map(
    ends.filter((end) => end.high !== end.low).map((end) => [end.partition, BigInt(end.high)]),
  );
  const letters: StoredDeadLetter[] = [];
  if (pending.size === 0) return letters;
  const consumer = kafka.consumer({ groupId: `cairn-dlq-reader-${randomBytes(6).toString('hex')}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachMessage: ({ partition, message }) => {
            const headers = message.headers;
            const intake = Object.fromEntries(
              Object.keys(headers ?? {})
                .filter((name) => name.startsWith('cairn-intake-'))
                .map((name) => [name, text(headers, name)!]),
            );
            letters.push({
              partition,
              offset: message.offset,
              code: text(headers, DEAD_LETTER_HEADERS.code),
              message: text(headers, DEAD_LETTER_HEADERS.message),
              sourceTopic: text(headers, DEAD_LETTER_HEADERS.topic),
              sourcePartition: text(headers, DEAD_LETTER_HEADERS.partition),
              sourceOffset: text(headers, DEAD_LETTER_HEADERS.offset),
              firstFailure: text(headers, DEAD_LETTER_HEADERS.firstFailure),
              attempts: text(headers, DEAD_LETTER_HEADERS.attempts),
              key: message.key,
              value: message.value,
              intake,
            });
            const end = pending.get(partition);
            if (end !== undefined && BigInt(message.offset) + 1n >= end) pending.delete(partition);
            if (pending.size === 0) resolve();
            return Promise.resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return letters.filter(
    (letter) =>
      (filter.code === undefined || letter.code === filter.code) &&
      (filter.fromTopic === undefined || letter.sourceTopic === filter.fromTopic),
  );
}

/**
 * Sends dead letters' original bytes back to the raw topic each came from (or `to`), with the
 * intake's binding and a `cairn.redriven_from` header. Event ids are deterministic, so a letter
 * re-driven twice is stored once. Returns how many were sent, by topic.
 */
export async function redriveDeadLetters(
  kafka: Kafka,
  deadLetterTopic: string,
  letters: readonly StoredDeadLetter[],
  to?: string,
): Promise<Record<string, number>> {
  const byTopic = new Map<
    string,
    { key: Buffer | null; value: Buffer | null; headers: Record<string, string> }[]
  >();
  for (const letter of letters) {
    const target = to ?? letter.sourceTopic;
    if (!target) continue;
    const messages = byTopic.get(target) ?? [];
    messages.push({
      key: letter.key,
      value: letter.value,
      headers: {
        ...letter.intake,
        'cairn.redriven_from': `${deadLetterTopic}/${letter.partition}/${letter.offset}`,
      },
    });
    byTopic.set(target, messages);
  }
  const producer = createCompleteProducer(kafka, { allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const sent: Record<string, number> = {};
    for (const [topic, messages] of byTopic) {
      await producer.send({ topic, acks: -1, messages });
      sent[topic] = messages.length;
    }
    return sent;
  } finally {
    await producer.disconnect();
  }
}
