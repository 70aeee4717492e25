import { CompressionTypes, type Producer } from 'kafkajs';
import { kafkaErrorType } from '@cairn/kafka';
import { IntakeError, IntakeErrorCode } from './intake-error';

/** Seconds a sender is told to wait when Kafka does not take its batch. */
export const KAFKA_RETRY_AFTER_SECONDS = 5;

export interface RawTopicWriterOptions {
  /**
   * Larger values are gzip-compressed in Kafka, so a batch near the body limit stays under the
   * topic's max.message.bytes (the broker checks the compressed size); smaller ones are sent as they
   * are, which costs the intake no CPU.
   */
  readonly compressAboveBytes: number;
  /** How long the brokers may take to have the message on every in-sync replica. */
  readonly timeoutMs: number;
}

/** Kafka's MESSAGE_TOO_LARGE and RECORD_LIST_TOO_LARGE: waiting will not help, a smaller batch will. */
const TOO_LARGE = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);

/**
 * Writes one request's bytes to its raw topic with acks from every in-sync replica (acks -1):
 * only then may the intake answer 2xx, because a sender forgets what it was told was taken.
 */
export class RawTopicWriter {
  constructor(
    private readonly producer: Pick<Producer, 'send'>,
    private readonly options: RawTopicWriterOptions,
  ) {}

  /** All of one request's messages in one send: they are durable together, or none is acknowledged. */
  async write(topic: string, values: readonly Buffer[], headers: Record<string, string>): Promise<void> {
    const bytes = values.reduce((sum, value) => sum + value.length, 0);
    try {
      await this.producer.send({
        topic,
        acks: -1,
        timeout: this.options.timeoutMs,
        compression: bytes > this.options.compressAboveBytes ? CompressionTypes.GZIP : CompressionTypes.None,
        messages: values.map((value) => ({ value, headers })),
      });
    } catch (error) {
      const type = kafkaErrorType(error);
      if (type !== undefined && TOO_LARGE.has(type)) {
        throw new IntakeError(
          IntakeErrorCode.PayloadTooLarge,
          `Kafka refused the batch as too large for ${topic} (${type}): send smaller batches`,
        );
      }
      throw new IntakeError(
        IntakeErrorCode.KafkaUnavailable,
        'the batch could not be made durable in Kafka; nothing was kept, send it again',
        KAFKA_RETRY_AFTER_SECONDS,
      );
    }
  }
}
