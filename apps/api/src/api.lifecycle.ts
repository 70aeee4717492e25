import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Client } from '@elastic/elasticsearch';
import type { Admin } from 'kafkajs';
import type { Logger } from '@cairn/logging';
import { CLOSING_CHECKPOINT_MS, type AccessTrail } from './integrity/access-chain';
import { LOGGER } from './injection-tokens';

export const ELASTICSEARCH = Symbol('Elasticsearch');
export const KAFKA_ADMIN = Symbol('KafkaAdmin');
export const ACCESS_TRAIL = Symbol('AccessTrail');

/**
 * The API serves queries while Kafka is away (its readiness probe connects on demand and says so);
 * connections close on shutdown. The access chain opens with a first checkpoint (where this
 * process's record begins) and closes with a last one, after the server stopped taking requests
 * and every access record was written, so nothing may follow it.
 */
@Injectable()
export class ApiLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
    @Inject(ELASTICSEARCH) private readonly elasticsearch: Client,
    @Inject(ACCESS_TRAIL) private readonly trail: AccessTrail,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const chain = this.trail.chain;
    if (!chain) return;
    // Not fatal when Elasticsearch is away: the API answers then, and the log copy comes first.
    await chain.checkpointer.checkpointOnce();
    chain.checkpointer.start();
    this.log.info({ chain: chain.name }, 'access records chained');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.trail.writer.drain();
    await this.trail.chain?.checkpointer.stop(CLOSING_CHECKPOINT_MS);
    await this.admin.disconnect();
    await this.elasticsearch.close();
  }
}
