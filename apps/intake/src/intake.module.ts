import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Kafka, Producer } from 'kafkajs';
import { RateLimiter } from '@cairn/api-policy';
import type { IntakeAppConfig } from '@cairn/intake';
import { HealthController, READINESS, Readiness } from '@cairn/health';
import { IntakeAuthenticator, IntakeHandler, RawTopicWriter } from '@cairn/intake';
import { createCompleteProducer, createKafka, kafkaReachable } from '@cairn/kafka';
import type { Logger } from '@cairn/logging';
import { IntakeExceptionFilter } from './intake-exception.filter';
import { INTAKE_LOGGER, IntakeController } from './intake.controller';
import { IntakeMetrics } from './intake-metrics';
import { ThreadedProducer } from './kafka-thread/threaded-producer';

const KAFKA = Symbol('Kafka');
const PRODUCER = Symbol('Producer');

/**
 * Few retries: a sender told 503 quickly retries on its own, holding its batch, while a long wait
 * here would hold its connection and the bytes in this process.
 */
const KAFKA_RETRIES = 2;

/** Batches of about 1 MiB and more are compressed in Kafka (see RawTopicWriter). */
const COMPRESS_ABOVE_BYTES = 1024 * 1024;

type IntakeProducer = Producer | ThreadedProducer;

class ProducerLifecycle implements OnApplicationShutdown {
  constructor(private readonly producer: IntakeProducer) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.producer instanceof ThreadedProducer) await this.producer.close();
    else await this.producer.disconnect();
  }
}

async function intakeProducer(
  config: IntakeAppConfig,
  kafka: Kafka,
  logger: Logger,
): Promise<IntakeProducer> {
  // Built, the producer runs on a thread of its own (ThreadedProducer); from sources, on this one.
  const threaded = ThreadedProducer.create(config.kafka, KAFKA_RETRIES, logger);
  if (threaded) return threaded;
  const producer = createCompleteProducer(kafka, { allowAutoTopicCreation: false });
  // Kafka away at start-up is not fatal: requests answer 503 until it is back.
  await producer.connect().catch((error: unknown) => logger.warn({ err: error }, 'Kafka not reachable yet'));
  return producer;
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
        {
          provide: KAFKA,
          useFactory: () =>
            createKafka(
              config.kafka,
              { log: (level, msg, fields) => logger[level](fields, msg) },
              { retries: KAFKA_RETRIES },
            ),
        },
        {
          provide: PRODUCER,
          inject: [KAFKA],
          useFactory: (kafka: Kafka) => intakeProducer(config, kafka, logger),
        },
        {
          provide: ProducerLifecycle,
          inject: [PRODUCER],
          useFactory: (p: IntakeProducer) => new ProducerLifecycle(p),
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
          useFactory: (producer: IntakeProducer, metrics: IntakeMetrics) =>
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
