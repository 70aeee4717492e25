import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { AuditEventDocument } from '@cairn/event-schema';
import { matchesFeedFilter } from '../feed-filter';
import { decodeProgress, encodeProgress, type DeliveryError } from './feed-progress';
import type { PushFeed } from './push-config';
import { feedGroupOf } from './feed-status-reader';

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
  /** Each partition's last failure, carried in its commits until a newer one replaces it. */
  private readonly errors = new Map<number, DeliveryError>();
  /** Each partition's last delivery; after a restart, read back from its commit on first need. */
  private readonly deliveredAt = new Map<number, Date | undefined>();

  constructor(
    private readonly kafka: Kafka,
    private readonly feed: PushFeed,
    private readonly topic: string,
    private readonly delivery: Delivery,
    private readonly log: PushLog,
    options: { groupPrefix?: string; sessionTimeoutMs?: number; maxDelayMs?: number } = {},
  ) {
    this.groupId = feedGroupOf(feed.name, options.groupPrefix);
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
      const documents = this.documentsOf(chunk);
      if (!(await this.deliverUntilTaken(documents, chunk[0].offset, payload))) return;
      const last = chunk[chunk.length - 1].offset;
      payload.resolveOffset(last);
      // A chunk the filter emptied moves the position but is no delivery.
      const deliveredAt =
        documents.length > 0 ? new Date() : await this.lastDelivery(batch.topic, batch.partition);
      await this.commit(payload, (BigInt(last) + 1n).toString(), deliveredAt);
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

  /** The commit carries this partition's progress (feed-progress.ts) for feedStatus and metrics. */
  private async commit(payload: EachBatchPayload, offset: string, deliveredAt?: Date): Promise<void> {
    const { topic, partition } = payload.batch;
    const error = this.errors.get(partition);
    if (deliveredAt) this.deliveredAt.set(partition, deliveredAt);
    const metadata = encodeProgress({ ...(deliveredAt && { deliveredAt }), ...(error && { error }) });
    await this.consumer.commitOffsets([{ topic, partition, offset, metadata }]);
  }

  /** False when the consumer stopped (or lost the partition) before the receiver took the chunk. */
  private async deliverUntilTaken(
    documents: AuditEventDocument[],
    firstOffset: string,
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
          await this.recordFailure(payload, firstOffset, this.status.lastError);
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

  /**
   * Re-commits the partition's current position (the chunk not taken yet, so nothing is skipped)
   * with the error, so a stuck feed is visible from Kafka; the last delivery time is kept.
   */
  private async recordFailure(
    payload: EachBatchPayload,
    firstOffset: string,
    error: DeliveryError,
  ): Promise<void> {
    const { partition } = payload.batch;
    this.errors.set(partition, error);
    try {
      await this.commit(payload, firstOffset, await this.lastDelivery(payload.batch.topic, partition));
    } catch (commitError) {
      this.log.warn({ feed: this.feed.name, partition, err: commitError }, 'could not record the failure');
    }
  }

  private async lastDelivery(topic: string, partition: number): Promise<Date | undefined> {
    if (this.deliveredAt.has(partition)) return this.deliveredAt.get(partition);
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const [offsets] = await admin.fetchOffsets({ groupId: this.groupId, topics: [topic] });
      const commit = offsets?.partitions.find((entry) => entry.partition === partition);
      const deliveredAt = decodeProgress(commit?.metadata).deliveredAt;
      this.deliveredAt.set(partition, deliveredAt);
      return deliveredAt;
    } finally {
      await admin.disconnect();
    }
  }
}
