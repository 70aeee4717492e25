import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Client } from '@elastic/elasticsearch';
import type { Admin } from 'kafkajs';

export const ELASTICSEARCH = Symbol('Elasticsearch');
export const KAFKA_ADMIN = Symbol('KafkaAdmin');

/**
 * The admin client connects in the background: the API serves queries while Kafka is away, and
 * /readyz says so. Connections close on shutdown.
 */
@Injectable()
export class ApiLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
    @Inject(ELASTICSEARCH) private readonly elasticsearch: Client,
  ) {}

  onApplicationBootstrap(): void {
    this.admin.connect().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin.disconnect();
    await this.elasticsearch.close();
  }
}
