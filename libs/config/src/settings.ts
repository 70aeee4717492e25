import 'reflect-metadata';
import { Expose, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { TransportSettings } from './transport-settings';

export { KAFKA_SASL_MECHANISMS, type KafkaSaslMechanism } from './transport-settings';

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

  /**
   * A YAML file of sections, each read by the feature it configures (compliance:, legalHolds:,
   * feed:, feeds:; see the README); ConfigFile reads it.
   */
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
