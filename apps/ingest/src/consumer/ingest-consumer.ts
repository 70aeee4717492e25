import { Partitioners, type Consumer, type EachBatchPayload, type Kafka, type Producer } from 'kafkajs';
import type { IngestConfig } from '@cairn/config';
import type { Logger } from '@cairn/logging';
import type { IngestMetrics } from '../metrics/ingest-metrics';
import type { BatchPipeline } from '../pipeline/batch-pipeline';

/**
 * The kafkajs side of ingest: one consumer group over the raw topics, offsets committed by hand
 * and only to the offset the pipeline says is final.
 */
export class IngestConsumer {
  private readonly consumer: Consumer;

  constructor(
    kafka: Kafka,
    private readonly config: IngestConfig,
    private readonly pipeline: BatchPipeline,
    private readonly log: Logger,
    private readonly metrics?: IngestMetrics,
  ) {
    this.consumer = kafka.consumer({
      groupId: config.consumerGroup,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      allowAutoTopicCreation: false,
    });
  }

  async start(): Promise<void> {
    const { orchestrator, runtime, registry } = this.config.topics;
    await this.consumer.connect();
    // An audit trail starts at the beginning: a new group must not skip events already waiting.
    await this.consumer.subscribe({ topics: [orchestrator, runtime, registry], fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    this.log.info(
      { topics: [orchestrator, runtime, registry], group: this.config.consumerGroup },
      'consuming',
    );
  }

  async stop(): Promise<void> {
    // disconnect() lets the batch in hand finish or abandon itself (isRunning() turns false).
    await this.consumer.disconnect();
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    this.metrics?.setLag(batch.topic, batch.partition, Number(batch.offsetLag()));
    // A partition revoked mid-batch is stale: its progress is the new owner's to commit.
    const owned = () => payload.isRunning() && !payload.isStale();
    const outcome = await this.pipeline.process(batch.messages, {
      topic: batch.topic,
      partition: batch.partition,
      heartbeat: () => payload.heartbeat(),
      isRunning: owned,
    });
    if (outcome.commitOffset === undefined || !owned()) return;
    payload.resolveOffset(batch.messages[batch.messages.length - 1].offset);
    await this.consumer.commitOffsets([
      { topic: batch.topic, partition: batch.partition, offset: outcome.commitOffset },
    ]);
    this.log.debug({ topic: batch.topic, partition: batch.partition, ...outcome }, 'batch committed');
  }
}

export async function connectProducer(kafka: Kafka): Promise<Producer> {
  // Not idempotent: a dead letter written twice is harmless (re-driving is idempotent by event id),
  // while kafkajs' idempotent producer wants unbounded retries that would block shutdown.
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  return producer;
}
