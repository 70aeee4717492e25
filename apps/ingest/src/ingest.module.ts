import { Module, type DynamicModule } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import type { Client } from '@elastic/elasticsearch';
import type { IngestConfig } from './config/ingest-config';
import { createElasticsearchClient, elasticsearchReachable } from '@cairn/elasticsearch-store';
import { HealthController, READINESS, Readiness } from '@cairn/health';
import { createKafka, kafkaReachable } from '@cairn/kafka';
import type { Logger } from '@cairn/logging';
import { IngestService } from './ingest.service';
import { IngestMetrics } from './metrics/ingest-metrics';
import { MetricsController } from './metrics/metrics.controller';

const CONFIG = Symbol('IngestConfig');
const LOGGER = Symbol('Logger');
const KAFKA = Symbol('Kafka');
const KAFKA_ADMIN = Symbol('KafkaAdmin');
const ELASTICSEARCH = Symbol('Elasticsearch');

@Module({})
export class IngestModule {
  static forRoot(config: IngestConfig, logger: Logger, onRefused?: (reason: string) => void): DynamicModule {
    return {
      module: IngestModule,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: IngestMetrics, useValue: new IngestMetrics() },
        {
          provide: KAFKA,
          useFactory: () =>
            createKafka(config.kafka, { log: (level, msg, fields) => logger[level](fields, msg) }),
        },
        {
          provide: KAFKA_ADMIN,
          inject: [KAFKA],
          // Connected by IngestService, which waits for Kafka instead of failing the boot.
          useFactory: (kafka: Kafka) => kafka.admin(),
        },
        { provide: ELASTICSEARCH, useFactory: () => createElasticsearchClient(config.elasticsearch) },
        {
          provide: READINESS,
          inject: [KAFKA_ADMIN, ELASTICSEARCH],
          useFactory: (admin: Admin, client: Client) =>
            new Readiness(
              [
                { name: 'kafka', check: () => kafkaReachable(admin) },
                { name: 'elasticsearch', check: () => elasticsearchReachable(client) },
              ],
              config.readinessThresholdMs,
            ),
        },
        {
          provide: IngestService,
          inject: [CONFIG, KAFKA, KAFKA_ADMIN, ELASTICSEARCH, LOGGER, IngestMetrics],
          useFactory: (
            c: IngestConfig,
            kafka: Kafka,
            admin: Admin,
            client: Client,
            log: Logger,
            metrics: IngestMetrics,
          ) => new IngestService(c, kafka, admin, client, log, metrics, onRefused),
        },
      ],
    };
  }
}
