import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Client } from '@elastic/elasticsearch';
import type { Admin } from 'kafkajs';

export const ELASTICSEARCH = Symbol('Elasticsearch');
export const KAFKA_ADMIN = Symbol('KafkaAdmin');

/**
 * The API serves queries while Kafka is away (its readiness probe connects on demand and says so);
 * connections close on shutdown.
 */
@Injectable()
export class ApiLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
    @Inject(ELASTICSEARCH) private readonly elasticsearch: Client,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.admin.disconnect();
    await this.elasticsearch.close();
  }
}
