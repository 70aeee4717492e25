import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { Client } from '@elastic/elasticsearch';
import type { IngestConfig } from '@cairn/config';
import { BulkWriter, installIndexTemplate } from '@cairn/elasticsearch-store';
import { DeadLetterProducer, ensureTopics } from '@cairn/kafka';
import type { Logger } from '@cairn/logging';
import { connectProducer, IngestConsumer } from './consumer/ingest-consumer';
import { BatchPipeline } from './pipeline/batch-pipeline';

const DEFAULT_PARTITIONS = 3;

/** Starts ingest once Nest is up: index template, topics, producer, then the consumer. */
export class IngestService implements OnApplicationBootstrap, OnApplicationShutdown {
  private producer?: Producer;
  private consumer?: IngestConsumer;

  constructor(
    private readonly config: IngestConfig,
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly elasticsearch: Client,
    private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { topics } = this.config;
    await installIndexTemplate(this.elasticsearch, this.config.elasticsearch);
    const created = await ensureTopics(
      this.admin,
      [topics.orchestrator, topics.runtime, topics.registry, topics.deadLetter],
      DEFAULT_PARTITIONS,
    );
    if (created.length > 0) this.log.info({ created }, 'created missing topics');
    this.producer = await connectProducer(this.kafka);
    const pipeline = new BatchPipeline(
      new BulkWriter(this.elasticsearch, this.config.elasticsearch.indexPrefix),
      new DeadLetterProducer(this.producer, topics.deadLetter),
      this.log,
    );
    this.consumer = new IngestConsumer(this.kafka, this.config, pipeline, this.log);
    await this.consumer.start();
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.log.info({ signal }, 'stopping ingest');
    await this.consumer?.stop();
    await this.producer?.disconnect();
    await this.admin.disconnect();
    await this.elasticsearch.close();
  }
}
