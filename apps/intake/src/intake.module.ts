import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { RateLimiter } from '@cairn/api-policy';
import type { IntakeAppConfig } from '@cairn/config';
import { HealthController, READINESS, Readiness } from '@cairn/health';
import { IntakeAuthenticator, IntakeHandler, RawTopicWriter } from '@cairn/intake';
import { createKafka, kafkaReachable } from '@cairn/kafka';
import type { Logger } from '@cairn/logging';
import { IntakeExceptionFilter } from './intake-exception.filter';
import { INTAKE_LOGGER, IntakeController } from './intake.controller';
import { IntakeMetrics } from './intake-metrics';

const KAFKA = Symbol('Kafka');
const PRODUCER = Symbol('Producer');

/** Batches of about 1 MiB and more are compressed in Kafka (see RawTopicWriter). */
const COMPRESS_ABOVE_BYTES = 1024 * 1024;

class ProducerLifecycle implements OnApplicationShutdown {
  constructor(private readonly producer: Producer) {}

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }
}

@Module({})
export class IntakeModule {
  static forRoot(config: IntakeAppConfig, logger: Logger): DynamicModule {
    return {
      module: IntakeModule,
      controllers: [HealthController, IntakeController],
      providers: [
        { provide: INTAKE_LOGGER, useValue: logger },
        { provide: APP_FILTER, useValue: new IntakeExceptionFilter(logger, config.maxBodyBytes) },
        // Few retries: a sender that gets 503 quickly retries on its own, holding its batch, while a
        // long wait here would hold its connection and the bytes in this process.
        {
          provide: KAFKA,
          useFactory: () =>
            createKafka(
              config.kafka,
              { log: (level, msg, fields) => logger[level](fields, msg) },
              { retries: 2 },
            ),
        },
        {
          provide: PRODUCER,
          inject: [KAFKA],
          useFactory: async (kafka: Kafka) => {
            const producer = kafka.producer({
              createPartitioner: Partitioners.DefaultPartitioner,
              allowAutoTopicCreation: false,
            });
            // Kafka away at start-up is not fatal: requests answer 503 until it is back.
            await producer
              .connect()
              .catch((error: unknown) => logger.warn({ err: error }, 'Kafka not reachable yet'));
            return producer;
          },
        },
        {
          provide: ProducerLifecycle,
          inject: [PRODUCER],
          useFactory: (p: Producer) => new ProducerLifecycle(p),
        },
        {
          provide: READINESS,
          inject: [KAFKA],
          useFactory: (kafka: Kafka) =>
            new Readiness(
              [{ name: 'kafka', check: () => kafkaReachable(kafka.admin()) }],
              config.readinessThresholdMs,
            ),
        },
        { provide: IntakeMetrics, useValue: new IntakeMetrics() },
        {
          provide: IntakeHandler,
          inject: [PRODUCER, IntakeMetrics],
          useFactory: (producer: Producer, metrics: IntakeMetrics) =>
            new IntakeHandler({
              authenticator: new IntakeAuthenticator(config.credentials),
              rateLimiter: new RateLimiter(config.rateLimitPerMinute),
              writer: new RawTopicWriter(producer, {
                compressAboveBytes: COMPRESS_ABOVE_BYTES,
                timeoutMs: config.kafkaTimeoutMs,
              }),
              topics: config.topics,
              maxBodyBytes: config.maxBodyBytes,
              observer: metrics,
            }),
        },
      ],
    };
  }
}
