import { readFileSync } from 'node:fs';
import { DEFAULT_SCOPE, parseScopeSection, type ComplianceScope } from '@cairn/compliance';
import {
  ConfigError,
  ConfigFile,
  elasticsearchConfig,
  kafkaConfig,
  validateSettings,
  type ElasticsearchConfig,
  type Environment,
  type KafkaConfig,
  type LogLevel,
} from '@cairn/config';
import type { Product } from '@cairn/event-schema';
import { DEFAULT_FEED, parseFeedDocument, type FeedSettings } from '@cairn/feed';
import { integrityConfigOf, type IntegrityConfig } from '@cairn/integrity';
import { parseLegalHolds, type LegalHold } from '@cairn/retention';
import { IngestSettings } from './ingest-settings';

export interface TopicsConfig {
  readonly orchestrator: string;
  readonly runtime: string;
  readonly registry: string;
  readonly deadLetter: string;
  /** Raw topics bound to one source; a topic not listed is detected by content. */
  readonly sources: Readonly<Record<string, Product>>;
}

export interface InputLimits {
  readonly maxBytes: number;
  readonly maxDepth: number;
  readonly maxFutureSkewMs: number;
  readonly maxEventAgeMs: number;
  readonly maxEventsPerMessage: number;
}

/** What bounds ingest's memory and parallelism: fetched bytes, bulk size, bulks in flight. */
export interface FlowLimits {
  readonly bulkMaxEvents: number;
  readonly bulkMaxBytes: number;
  readonly partitionsConcurrency: number;
  readonly fetchMaxBytes: number;
  readonly fetchMaxBytesPerPartition: number;
  readonly sessionTimeoutMs: number;
}

export interface IngestConfig {
  readonly kafka: KafkaConfig;
  /** Faults on purpose, for tests (development mode only). */
  readonly failpoints: { readonly normalizerBug?: string };
  readonly elasticsearch: ElasticsearchConfig;
  readonly topics: TopicsConfig;
  readonly consumerGroup: string;
  readonly topicPartitions: number;
  /** Undefined: the broker's default.replication.factor. */
  readonly topicReplicationFactor?: number;
  /** Undefined: the broker's min.insync.replicas. */
  readonly topicMinInsyncReplicas?: number;
  readonly topicMaxMessageBytes: number;
  readonly flow: FlowLimits;
  readonly limits: InputLimits;
  readonly http: { readonly host: string; readonly port: number };
  readonly readinessThresholdMs: number;
  /** From CAIRN_CONFIG's compliance: section; the defaults (no framework scoped) without one. */
  readonly compliance: ComplianceScope;
  readonly legalHolds: readonly LegalHold[];
  /** From CAIRN_CONFIG's feed: section: the SIEM formats written to Kafka after each store. */
  readonly feed: FeedSettings;
  /** How often ingest runs retention (hours; 0: never, leave it to `cairn retention`). */
  readonly retentionIntervalHours: number;
  /** Hash chains and signed checkpoints (CAIRN_INTEGRITY_*). */
  readonly integrity: IntegrityConfig;
  readonly logLevel: LogLevel;
}

/**
 * Ingest's configuration, composed here from the sections the libraries own: the transports
 * (@cairn/config), the compliance scope, legal holds, feed and integrity (each from its lib).
 */
export function loadIngestConfig(env: Environment = process.env): IngestConfig {
  const problems: string[] = [];
  const s = validateSettings(IngestSettings, env, problems);
  const elasticsearch = elasticsearchConfig(s, env, problems);
  const kafka = kafkaConfig(s, env, 'ingest', problems);
  const sources: Record<string, Product> = {};
  const bind = (topic: string, source: string) => {
    if (source !== 'auto') sources[topic] = source as Product;
  };
  bind(s.CAIRN_TOPIC_ORCHESTRATOR, s.CAIRN_TOPIC_ORCHESTRATOR_SOURCE);
  bind(s.CAIRN_TOPIC_RUNTIME, s.CAIRN_TOPIC_RUNTIME_SOURCE);
  bind(s.CAIRN_TOPIC_REGISTRY, s.CAIRN_TOPIC_REGISTRY_SOURCE);
  const topics = {
    orchestrator: s.CAIRN_TOPIC_ORCHESTRATOR,
    runtime: s.CAIRN_TOPIC_RUNTIME,
    registry: s.CAIRN_TOPIC_REGISTRY,
    deadLetter: s.CAIRN_TOPIC_DEAD_LETTER,
    sources,
  };
  const raw = [topics.orchestrator, topics.runtime, topics.registry];
  if (raw.includes(topics.deadLetter)) {
    problems.push(
      'CAIRN_TOPIC_DEAD_LETTER: must differ from the raw topics, or failures would be re-consumed',
    );
  }
  if (s.KAFKA_FETCH_MAX_BYTES_PER_PARTITION > s.KAFKA_FETCH_MAX_BYTES) {
    problems.push('KAFKA_FETCH_MAX_BYTES_PER_PARTITION: must not exceed KAFKA_FETCH_MAX_BYTES');
  }
  const file = ConfigFile.read(s.CAIRN_CONFIG, problems);
  const compliance = file.section(parseScopeSection, DEFAULT_SCOPE, problems);
  const holds = file.section(parseLegalHolds, [], problems);
  const feed = file.section(parseFeedDocument, DEFAULT_FEED, problems);
  const rawTopics = [topics.orchestrator, topics.runtime, topics.registry, topics.deadLetter];
  for (const format of feed.formats) {
    if (rawTopics.includes(`${feed.topicPrefix}.${format}`)) {
      problems.push(
        `CAIRN_CONFIG (${s.CAIRN_CONFIG}): feed.topicPrefix: ${feed.topicPrefix}.${format} is a raw or dead-letter topic`,
      );
    }
  }
  const integrity = integrityConfigOf(env, 'ingest', (path) => readFileSync(path, 'utf8'), problems);
  if (s.CAIRN_FAILPOINT_NORMALIZER_BUG !== undefined && s.CAIRN_MODE !== 'development') {
    problems.push(
      'CAIRN_FAILPOINT_NORMALIZER_BUG: a failpoint makes ingest fail on purpose; only with CAIRN_MODE=development',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    kafka,
    failpoints: { normalizerBug: s.CAIRN_FAILPOINT_NORMALIZER_BUG },
    legalHolds: holds,
    feed,
    integrity,
    retentionIntervalHours: s.CAIRN_RETENTION_INTERVAL_HOURS,
    elasticsearch,
    topics,
    consumerGroup: s.KAFKA_CONSUMER_GROUP,
    topicPartitions: s.CAIRN_TOPIC_PARTITIONS,
    topicReplicationFactor: s.CAIRN_TOPIC_REPLICATION_FACTOR,
    topicMinInsyncReplicas: s.CAIRN_TOPIC_MIN_INSYNC_REPLICAS,
    topicMaxMessageBytes: s.CAIRN_TOPIC_MAX_MESSAGE_BYTES,
    flow: {
      bulkMaxEvents: s.CAIRN_BULK_MAX_EVENTS,
      bulkMaxBytes: s.CAIRN_BULK_MAX_BYTES,
      partitionsConcurrency: s.CAIRN_PARTITIONS_CONCURRENCY,
      fetchMaxBytes: s.KAFKA_FETCH_MAX_BYTES,
      fetchMaxBytesPerPartition: s.KAFKA_FETCH_MAX_BYTES_PER_PARTITION,
      sessionTimeoutMs: s.KAFKA_SESSION_TIMEOUT_MS,
    },
    limits: {
      maxBytes: s.CAIRN_MAX_MESSAGE_BYTES,
      maxDepth: s.CAIRN_MAX_JSON_DEPTH,
      maxFutureSkewMs: s.CAIRN_MAX_FUTURE_SKEW_SECONDS * 1000,
      maxEventAgeMs: (s.CAIRN_MAX_EVENT_AGE_DAYS ?? compliance.retention.days + 30) * 86_400_000,
      maxEventsPerMessage: s.CAIRN_MAX_EVENTS_PER_MESSAGE,
    },
    http: { host: s.CAIRN_INGEST_HOST, port: s.CAIRN_INGEST_PORT },
    readinessThresholdMs: s.CAIRN_READINESS_THRESHOLD_SECONDS * 1000,
    compliance,
    logLevel: s.CAIRN_LOG_LEVEL,
  };
}
