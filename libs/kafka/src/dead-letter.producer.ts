import { CompressionTypes, type Producer } from 'kafkajs';

/** Headers every dead-letter record carries; the value is the original message, byte for byte. */
export const DEAD_LETTER_HEADERS = {
  code: 'cairn.error.code',
  message: 'cairn.error.message',
  topic: 'cairn.source.topic',
  partition: 'cairn.source.partition',
  offset: 'cairn.source.offset',
  firstFailure: 'cairn.error.first_failure',
  attempts: 'cairn.error.attempts',
  /** IDENTITY_CONFLICT: the id, where it is stored, and both contents' fingerprints. */
  conflictEventId: 'cairn.conflict.event_id',
  conflictStoredIndex: 'cairn.conflict.stored_index',
  conflictStoredFingerprint: 'cairn.conflict.stored_fingerprint',
  conflictFingerprint: 'cairn.conflict.fingerprint',
} as const;

export interface DeadLetter {
  readonly value: Buffer | null;
  readonly key: Buffer | null;
  readonly code: string;
  readonly message: string;
  readonly sourceTopic: string;
  readonly sourcePartition: number;
  readonly sourceOffset: string;
  readonly firstFailure: Date;
  readonly attempts: number;
  /** More headers, for codes that carry more than a message (IDENTITY_CONFLICT). */
  readonly headers?: Readonly<Record<string, string>>;
}

const MAX_MESSAGE_LENGTH = 2000;

/**
 * Above this many original bytes a send is gzip-compressed: the broker checks a batch's compressed
 * size against max.message.bytes, and an intake batch may be larger than that uncompressed.
 */
const COMPRESS_ABOVE_BYTES = 1024 * 1024;

/**
 * Sends failures to the dead-letter topic and resolves only once every in-sync replica has them
 * (acks: -1): the caller may then commit past the original message.
 */
export class DeadLetterProducer {
  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
  ) {}

  async send(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    const bytes = letters.reduce((sum, letter) => sum + (letter.value?.length ?? 0), 0);
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      compression: bytes > COMPRESS_ABOVE_BYTES ? CompressionTypes.GZIP : CompressionTypes.None,
      messages: letters.map((letter) => ({
        key: letter.key,
        value: letter.value,
        headers: {
          [DEAD_LETTER_HEADERS.code]: letter.code,
          [DEAD_LETTER_HEADERS.message]: letter.message.slice(0, MAX_MESSAGE_LENGTH),
          [DEAD_LETTER_HEADERS.topic]: letter.sourceTopic,
          [DEAD_LETTER_HEADERS.partition]: String(letter.sourcePartition),
          [DEAD_LETTER_HEADERS.offset]: letter.sourceOffset,
          [DEAD_LETTER_HEADERS.firstFailure]: letter.firstFailure.toISOString(),
          [DEAD_LETTER_HEADERS.attempts]: String(letter.attempts),
          ...letter.headers,
        },
      })),
    });
  }
}
