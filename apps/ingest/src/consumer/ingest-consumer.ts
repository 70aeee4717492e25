import { type Consumer, type EachBatchPayload, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import type { IngestConfig } from '../config/ingest-config';
import type { Logger } from '@cairn/logging';
import type { IngestMetrics } from '../metrics/ingest-metrics';
import { chunkMessages, type BatchPipeline } from '@cairn/pipeline';
import { encodeChainProgress } from '@cairn/integrity';
import { createCompleteProducer } from '@cairn/kafka';

export interface AssignedPartition {
  readonly topic: string;
  readonly partition: number;
}

/**
 * The kafkajs side of ingest: one consumer group over the raw topics, offsets committed by hand
 * and only to the offset the pipeline says is final.
 */
export class IngestConsumer {
  private readonly consumer: Consumer;
  private assignment: AssignedPartition[] = [];
  private stopping = false;

  constructor(
    kafka: Kafka,
    private readonly config: IngestConfig,
    private readonly pipeline: BatchPipeline,
    private readonly log: Logger,
    private readonly metrics?: IngestMetrics,
    /** Told which partitions this process holds after each join, and which it lost (all of them when a rebalance begins). */
    private readonly onAssignment?: (assigned: AssignedPartition[], revoked: AssignedPartition[]) => void,
  ) {
    this.consumer = kafka.consumer({
      groupId: config.consumerGroup,
      sessionTimeout: config.flow.sessionTimeoutMs,
      heartbeatInterval: Math.floor(config.flow.sessionTimeoutMs / 5),
      allowAutoTopicCreation: false,
      // The fetch bounds what is buffered before processing; chunking bounds what is processed.
      maxBytes: config.flow.fetchMaxBytes,
      maxBytesPerPartition: config.flow.fetchMaxBytesPerPartition,
    });
  }

  async start(): Promise<void> {
    // From a rebalance until the next join nothing is known to be held here: checkpoints wait.
    const holdNothing = () => {
      const revoked = this.assignment;
      this.assignment = [];
      if (revoked.length > 0) this.onAssignment?.([], revoked);
    };
    this.consumer.on(this.consumer.events.REBALANCING, holdNothing);
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      holdNothing();
      // kafkajs restarts itself only after a retriable error. After a non-retriable one (a process
      // frozen past its session timeout meets UNKNOWN_MEMBER_ID) it stays stopped for good while
      // the process lives on, consuming nothing: start it again, as a new member.
      if (payload.restart || this.stopping) return;
      this.log.error({ err: payload.error }, 'Kafka consumer stopped by kafkajs; starting it again');
      setTimeout(() => void this.consume().catch((error: unknown) => this.onFatal(error)), 1000);
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      const assigned = Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) =>
        partitions.map((partition) => ({ topic, partition })),
      );
      const revoked = this.assignment.filter(
        (held) => !assigned.some((now) => now.topic === held.topic && now.partition === held.partition),
      );
      this.assignment = assigned;
      this.log.info({ member: payload.memberId, assigned: assigned.length, revoked }, 'partitions assigned');
      this.onAssignment?.(assigned, revoked);
    });
    await this.consume();
  }

  private async consume(): Promise<void> {
    const { orchestrator, runtime, registry } = this.config.topics;
    await this.consumer.connect();
    // An audit trail starts at the beginning: a new group must not skip events already waiting.
    await this.consumer.subscribe({ topics: [orchestrator, runtime, registry], fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.config.flow.partitionsConcurrency,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    this.log.info(
      { topics: [orchestrator, runtime, registry], group: this.config.consumerGroup },
      'consuming',
    );
  }

  /** A restart that failed leaves the process unable to consume: it exits so a supervisor restarts it. */
  private onFatal(error: unknown): void {
    this.log.error({ err: error }, 'Kafka consumer could not be started again; exiting');
    process.exit(1);
  }

  /** The partitions this process holds since the last rebalance. */
  assigned(): readonly AssignedPartition[] {
    return this.assignment;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    // disconnect() lets the batch in hand finish or abandon itself (isRunning() turns false).
    await this.consumer.disconnect();
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    this.metrics?.setLag(batch.topic, batch.partition, Number(batch.offsetLag()));
    const membership = new MembershipKeeper(payload, Math.floor(this.config.flow.sessionTimeoutMs / 5));
    // A partition revoked mid-batch is stale: its progress is the new owner's to commit.
    const owned = () => payload.isRunning() && !payload.isStale() && !membership.lost;
    const { bulkMaxEvents: maxEvents, bulkMaxBytes: maxBytes } = this.config.flow;
    try {
      for (const chunk of chunkMessages(batch.messages, { maxEvents, maxBytes })) {
        if (!owned()) return;
        if (!(await this.processChunk(payload, chunk, owned))) return;
      }
    } finally {
      membership.stop();
    }
    if (membership.lost) this.log.warn({ reason: membership.reason }, 'left a batch to the rebalance');
  }

  /** Processes and commits one chunk; false when it was abandoned (stopping, or no longer ours). */
  private async processChunk(
    payload: EachBatchPayload,
    chunk: KafkaMessage[],
    owned: () => boolean,
  ): Promise<boolean> {
    const { batch } = payload;
    const bytes = chunk.reduce((sum, message) => sum + (message.value?.length ?? 0), 0);
    this.metrics?.onInFlight(chunk.length, bytes);
    try {
      const outcome = await this.pipeline.process(chunk, {
        topic: batch.topic,
        partition: batch.partition,
        heartbeat: () => payload.heartbeat(),
        isRunning: owned,
        pause: () => payload.pause(),
      });
      if (outcome.commitOffset === undefined || !owned()) return false;
      payload.resolveOffset(chunk[chunk.length - 1].offset);
      // The chain head travels with the offset, so whoever resumes here continues the same chain.
      const metadata = outcome.chainHead ? encodeChainProgress(outcome.chainHead) : null;
      await this.consumer.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: outcome.commitOffset, metadata },
      ]);
      this.log.debug(
        { topic: batch.topic, partition: batch.partition, firstOffset: chunk[0].offset, ...outcome },
        'chunk committed',
      );
      return true;
    } finally {
      this.metrics?.onInFlight(-chunk.length, -bytes);
    }
  }
}

/**
 * kafkajs heartbeats only between fetches or when asked. While a chunk waits on Elasticsearch this
 * keeps asking, so the session timeout can stay short (a killed process's partitions move on
 * quickly); a failed heartbeat means a rebalance took the partitions, and the batch is left.
 */
class MembershipKeeper {
  lost = false;
  reason?: string;
  private readonly timer: NodeJS.Timeout;

  constructor(payload: EachBatchPayload, everyMs: number) {
    this.timer = setInterval(() => {
      payload.heartbeat().catch((error: unknown) => {
        this.lost = true;
        this.reason = error instanceof Error ? error.message : String(error);
      });
    }, everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export async function connectProducer(kafka: Kafka): Promise<Producer> {
  // Not idempotent: a dead letter written twice is harmless (re-driving is idempotent by event id),
  // while kafkajs' idempotent producer wants unbounded retries that would block shutdown.
  // Dead letters and feed records are acknowledged before offsets move: a send must be complete.
  const producer = createCompleteProducer(kafka, { allowAutoTopicCreation: false });
  await producer.connect();
  return producer;
}
