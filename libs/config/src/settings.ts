import 'reflect-metadata';
import { Expose, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PRODUCTS } from '@cairn/event-schema';
import { TransportSettings } from './transport-settings';

export { KAFKA_SASL_MECHANISMS, type KafkaSaslMechanism } from './transport-settings';

const SOURCE_BINDINGS = ['auto', ...PRODUCTS.filter((p) => p !== 'cairn')];
const SOURCE_MESSAGE = { message: `must be one of ${SOURCE_BINDINGS.join(', ')}` };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const HOST_PORT = '(?:\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9.-]+):\\d{1,5}';
const BROKER_LIST = new RegExp(`^${HOST_PORT}(?:\\s*,\\s*${HOST_PORT})*$`);
const HTTP_URL_BODY = 'https?:\\/\\/[^\\s/?#,]+(?::\\d{1,5})?(?:\\/[^\\s?#,]*)?';
/** One URL, or a cluster's nodes separated by commas. */
const HTTP_URLS = new RegExp(`^${HTTP_URL_BODY}(?: *, *${HTTP_URL_BODY})*$`);
// Kafka's own rule for topic names.
const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
// An index prefix becomes part of index names: lower case, no wildcard or path characters.
const INDEX_PREFIX = /^[a-z0-9][a-z0-9_.-]{0,100}$/;
const DURATION = /^(?:-1|\d+(?:ms|s|m|h))$/;

/**
 * Settings every Cairn process shares. Property names are the environment variable names, so a
 * validation error names exactly what the operator has to fix. Defaults point at the local stack.
 */
export class CommonSettings extends TransportSettings {
  /**
   * production (the default): no introspection, a cursor secret required, no failpoints.
   * development (what `npm start` chooses) allows introspection to authenticated callers and
   * failpoints for tests.
   */
  @Expose()
  @IsIn(['development', 'production'], { message: 'must be development or production' })
  CAIRN_MODE: 'development' | 'production' = 'production';

  @Expose()
  @Matches(BROKER_LIST, { message: 'must be a comma-separated list of host:port (e.g. 127.0.0.1:9092)' })
  KAFKA_BROKERS: string = '127.0.0.1:9092';

  @Expose()
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,100}$/, {
    message: 'must be 1-100 characters of letters, digits, ".", "_" or "-"',
  })
  KAFKA_CLIENT_ID?: string;

  @Expose()
  @Matches(HTTP_URLS, {
    message:
      'must be an http:// or https:// URL (e.g. http://127.0.0.1:9200), or several separated by commas (the nodes of a cluster)',
  })
  ELASTICSEARCH_URL: string = 'http://127.0.0.1:9200';

  @Expose()
  @IsOptional()
  @IsString()
  @MinLength(1)
  ELASTICSEARCH_USERNAME?: string;

  @Expose()
  @IsOptional()
  @IsString()
  ELASTICSEARCH_CA_FILE?: string;

  @Expose()
  @Matches(INDEX_PREFIX, { message: 'must be lower case letters, digits, "_", "." or "-"' })
  ELASTICSEARCH_INDEX_PREFIX: string = 'cairn-events';

  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(0)
  @Max(10)
  ELASTICSEARCH_REPLICAS: number = 0;

  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(64)
  ELASTICSEARCH_SHARDS: number = 1;

  @Expose()
  @Matches(DURATION, { message: 'must be a duration such as 5s, 500ms or -1' })
  ELASTICSEARCH_REFRESH_INTERVAL: string = '5s';

  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100)
  @Max(600_000)
  ELASTICSEARCH_REQUEST_TIMEOUT_MS: number = 30_000;

  @Expose()
  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  CAIRN_LOG_LEVEL: LogLevel = 'info';

  /** How long Kafka or Elasticsearch may be unreachable before /readyz answers 503. */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(0)
  @Max(3600)
  CAIRN_READINESS_THRESHOLD_SECONDS: number = 5;

  /** A YAML file whose `compliance:` section sets the compliance scope (see the README). */
  @Expose()
  @IsOptional()
  @IsString()
  @MinLength(1)
  CAIRN_CONFIG?: string;
}

/**
 * The raw topics and ingest's consumer group: ingest reads them, and the API's feed export reads
 * the group's committed offsets to know how far the store is complete.
 */
export class PipelineSettings extends CommonSettings {
  @Expose()
  @Matches(TOPIC, { message: 'must be a Kafka topic name' })
  CAIRN_TOPIC_ORCHESTRATOR: string = 'cairn.raw.orchestrator';

  @Expose()
  @Matches(TOPIC, { message: 'must be a Kafka topic name' })
  CAIRN_TOPIC_RUNTIME: string = 'cairn.raw.runtime';

  @Expose()
  @Matches(TOPIC, { message: 'must be a Kafka topic name' })
  CAIRN_TOPIC_REGISTRY: string = 'cairn.raw.registry';

  @Expose()
  @Matches(TOPIC, { message: 'must be a Kafka topic name' })
  CAIRN_TOPIC_DEAD_LETTER: string = 'cairn.dlq';

  /** Ingest's consumer group (the API reads its committed offsets for the feed export). */
  @Expose()
  @Matches(/^[A-Za-z0-9._-]{1,200}$/, {
    message: 'must be 1-200 characters of letters, digits, ".", "_" or "-"',
  })
  KAFKA_CONSUMER_GROUP: string = 'cairn-ingest';
}

export class IngestSettings extends PipelineSettings {
  /**
   * A failpoint (development mode only): a message whose bytes contain this text makes the
   * normalize step throw as a normalizer bug would, so tests can prove such a bug dead-letters
   * the message (NORMALIZER_FAILURE) instead of stalling its partition.
   */
  @Expose()
  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'must be at least 8 characters, so no real event contains it by chance' })
  CAIRN_FAILPOINT_NORMALIZER_BUG?: string;

  /** Which source a raw topic carries; `auto` detects it per message from its content. */
  @Expose()
  @IsIn(SOURCE_BINDINGS, SOURCE_MESSAGE)
  CAIRN_TOPIC_ORCHESTRATOR_SOURCE: string = 'auto';

  @Expose()
  @IsIn(SOURCE_BINDINGS, SOURCE_MESSAGE)
  CAIRN_TOPIC_RUNTIME_SOURCE: string = 'auto';

  @Expose()
  @IsIn(SOURCE_BINDINGS, SOURCE_MESSAGE)
  CAIRN_TOPIC_REGISTRY_SOURCE: string = 'auto';

  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of bytes' })
  @Min(1024)
  @Max(64 * 1024 * 1024)
  CAIRN_MAX_MESSAGE_BYTES: number = 12 * 1024 * 1024;

  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(8)
  @Max(512)
  CAIRN_MAX_JSON_DEPTH: number = 64;

  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(0)
  @Max(7 * 24 * 3600)
  CAIRN_MAX_FUTURE_SKEW_SECONDS: number = 300;

  /**
   * Oldest event ingest accepts, in days before its clock. Unset: the compliance retention
   * (compliance.retention.days in CAIRN_CONFIG) plus 30 days, so senders cannot make ingest create
   * monthly indices for any year they like. Raise it on purpose to backfill (README).
   */
  @Expose()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of days' })
  @Min(1)
  @Max(36_500)
  CAIRN_MAX_EVENT_AGE_DAYS?: number;

  /** Documents one message may become: an EventList or registry envelope over it is dead-lettered. */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(100_000)
  CAIRN_MAX_EVENTS_PER_MESSAGE: number = 1000;

  /** Hours between retention runs in ingest (0: none; `cairn retention` runs it by hand). */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of hours' })
  @Min(0)
  @Max(8760)
  CAIRN_RETENTION_INTERVAL_HOURS: number = 24;

  /** Partitions of the topics ingest creates when they are missing (existing topics are left alone). */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(1000)
  CAIRN_TOPIC_PARTITIONS: number = 3;

  /**
   * Replicas of each partition of the topics ingest creates; unset, the broker's
   * default.replication.factor decides (3 is what a three-broker cluster wants).
   */
  @Expose()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(16)
  CAIRN_TOPIC_REPLICATION_FACTOR?: number;

  /**
   * min.insync.replicas of the topics ingest creates: with acks -1 a write is acknowledged only
   * once this many replicas have it (2 of 3 survives one broker lost); unset, the broker's default.
   */
  @Expose()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(16)
  CAIRN_TOPIC_MIN_INSYNC_REPLICAS?: number;

  /**
   * Kafka's max.message.bytes for the topics ingest creates. Above Kafka's 1 MiB default so an
   * oversized event reaches Cairn (and then the dead-letter topic) instead of bouncing off the broker.
   */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of bytes' })
  @Min(1024 * 1024)
  @Max(256 * 1024 * 1024)
  CAIRN_TOPIC_MAX_MESSAGE_BYTES: number = 8 * 1024 * 1024;

  /** At most this many messages go into one bulk request; a bigger Kafka batch is cut into chunks. */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(50_000)
  CAIRN_BULK_MAX_EVENTS: number = 2000;

  /** At most this many raw bytes go into one bulk request (one larger message still goes alone). */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of bytes' })
  @Min(64 * 1024)
  @Max(512 * 1024 * 1024)
  CAIRN_BULK_MAX_BYTES: number = 4 * 1024 * 1024;

  /** Partitions handled at once by one ingest process: the number of bulk requests in flight. */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(64)
  CAIRN_PARTITIONS_CONCURRENCY: number = 3;

  /**
   * How long the group waits for a silent member (a killed process) before handing its
   * partitions to the others. Ingest heartbeats while a bulk request is in flight, so this need
   * not cover Elasticsearch's slowest answer.
   */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(6000)
  @Max(300_000)
  KAFKA_SESSION_TIMEOUT_MS: number = 10_000;

  /** Upper bound of one Kafka fetch response, the raw bytes buffered before processing. */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of bytes' })
  @Min(64 * 1024)
  @Max(512 * 1024 * 1024)
  KAFKA_FETCH_MAX_BYTES: number = 8 * 1024 * 1024;

  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of bytes' })
  @Min(16 * 1024)
  @Max(256 * 1024 * 1024)
  KAFKA_FETCH_MAX_BYTES_PER_PARTITION: number = 2 * 1024 * 1024;

  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a port number' })
  @Min(1)
  @Max(65535)
  CAIRN_INGEST_PORT: number = 4001;

  @Expose()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  CAIRN_INGEST_HOST: string = '127.0.0.1';
}

export class ApiSettings extends PipelineSettings {
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a port number' })
  @Min(1)
  @Max(65535)
  CAIRN_API_PORT: number = 4000;

  @Expose()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  CAIRN_API_HOST: string = '127.0.0.1';

  /** on: HTTPS (needs the files below); off: plain HTTP on purpose (behind a TLS proxy). */
  @Expose()
  @IsOptional()
  @IsIn(['on', 'off'], { message: 'must be on or off' })
  CAIRN_API_TLS?: 'on' | 'off';

  @Expose()
  @IsOptional()
  @IsString()
  CAIRN_API_TLS_CERT_FILE?: string;

  @Expose()
  @IsOptional()
  @IsString()
  CAIRN_API_TLS_KEY_FILE?: string;

  /** CA of client certificates: clients may then authenticate by certificate (subjects in CAIRN_API_TOKENS). */
  @Expose()
  @IsOptional()
  @IsString()
  CAIRN_API_TLS_CLIENT_CA_FILE?: string;

  /** GraphQL requests per minute per token (per client address without a valid token). */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of requests per minute' })
  @Min(1)
  @Max(1_000_000)
  CAIRN_API_RATE_LIMIT_PER_MINUTE: number = 600;

  /** Longest an Elasticsearch search may take for one GraphQL field before QUERY_TIMEOUT. */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100)
  @Max(600_000)
  CAIRN_API_QUERY_TIMEOUT_MS: number = 10_000;

  /** The most a query may cost (fields times page sizes, plus 1,000 per search); see the README. */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1_000)
  @Max(10_000_000)
  CAIRN_API_MAX_QUERY_COST: number = 30_000;

  /**
   * Proxies whose X-Forwarded-For is believed, so the recorded client address is the client's:
   * comma-separated addresses or CIDR ranges. Unset: none, the peer's address is recorded.
   */
  @Expose()
  @IsOptional()
  @Matches(/^\s*[0-9A-Fa-f:.]+(?:\/\d{1,3})?(?:\s*,\s*[0-9A-Fa-f:.]+(?:\/\d{1,3})?)*\s*$/, {
    message: 'must be comma-separated IP addresses or CIDR ranges (e.g. 10.0.0.0/8, 127.0.0.1)',
  })
  CAIRN_API_TRUSTED_PROXIES?: string;

  /** Points in time (open multi-page answers) one caller may hold; over it the oldest is closed. */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(1000)
  CAIRN_API_MAX_OPEN_PAGINGS: number = 20;
}

/** The push feeds' process (apps/feed): which receivers come from CAIRN_CONFIG's feeds: list. */
export class FeedAppSettings extends CommonSettings {
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a port number' })
  @Min(1)
  @Max(65535)
  CAIRN_FEED_PORT: number = 4003;

  /** Health, readiness, metrics and /status; loopback unless set. */
  @Expose()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  CAIRN_FEED_HOST: string = '127.0.0.1';
}
