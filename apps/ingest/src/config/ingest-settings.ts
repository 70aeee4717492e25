import 'reflect-metadata';
import { Expose, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PipelineSettings } from '@cairn/config';
import { PRODUCTS } from '@cairn/event-schema';

const SOURCE_BINDINGS = ['auto', ...PRODUCTS.filter((p) => p !== 'cairn')];
const SOURCE_MESSAGE = { message: `must be one of ${SOURCE_BINDINGS.join(', ')}` };

/** Ingest's environment: property names are the variables, so a problem names what to fix. */
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
