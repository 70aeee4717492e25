import { Module, type DynamicModule } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { FeedAppConfig } from './config/feed-app-config';
import { HealthController, READINESS, Readiness } from '@cairn/health';
import { createKafka, kafkaReachable } from '@cairn/kafka';
import type { Logger } from '@cairn/logging';
import { FeedMetricsController } from './feed-metrics.controller';
import { FEED_LOGGER, FeedService } from './feed.service';

const KAFKA = Symbol('Kafka');

@Module({})
export class FeedModule {
  static forRoot(config: FeedAppConfig, logger: Logger, onRefused?: (reason: string) => void): DynamicModule {
    return {
      module: FeedModule,
      controllers: [HealthController, FeedMetricsController],
      providers: [
        {
          provide: KAFKA,
          useFactory: () =>
            createKafka(config.kafka, { log: (level, msg, fields) => logger[level](fields, msg) }),
        },
        {
          provide: READINESS,
          inject: [KAFKA],
          useFactory: (kafka: Kafka) => {
            const admin = kafka.admin();
            return new Readiness(
              [{ name: 'kafka', check: () => kafkaReachable(admin) }],
              config.readinessThresholdMs,
            );
          },
        },
        { provide: FEED_LOGGER, useValue: logger },
        {
          provide: FeedService,
          inject: [KAFKA],
          useFactory: (kafka: Kafka) => new FeedService(config, kafka, logger, onRefused),
        },
      ],
    };
  }
}
