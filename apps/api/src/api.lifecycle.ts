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
 * and every access record was written, so nothing may follow it. Every interval it also closes
 * the chains of API processes that died without closing theirs.
 */
@Injectable()
export class ApiLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private abandonedTimer?: NodeJS.Timeout;

  constructor(
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
    @Inject(ELASTICSEARCH) private readonly elasticsearch: Client,
    @Inject(ACCESS_TRAIL) private readonly trail: AccessTrail,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const chain = this.trail.chain;
    if (!chain) return;
    // Not awaited: the API answers while Elasticsearch is away (the log copy comes first, the index
    // copy when it can), and its start must not wait out a store that does not answer.
    void chain.checkpointer.checkpointOnce();
    chain.checkpointer.start();
    const closeAbandoned = () =>
      chain.abandoned
        .close(chain.name)
        .catch((error: unknown) =>
          this.log.error({ err: error }, 'abandoned access chains not closed; next try at the next interval'),
        );
    void closeAbandoned();
    this.abandonedTimer = setInterval(() => void closeAbandoned(), chain.intervalMs);
    this.abandonedTimer.unref();
    this.log.info({ chain: chain.name }, 'access records chained');
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.abandonedTimer) clearInterval(this.abandonedTimer);
    await this.trail.writer.drain();
    await this.trail.chain?.checkpointer.stop(CLOSING_CHECKPOINT_MS);
    await this.admin.disconnect();
    await this.elasticsearch.close();
  }
}
