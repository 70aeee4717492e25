import 'reflect-metadata';
import { Expose, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PipelineSettings } from '@cairn/config';

/** The webhook intake (apps/intake): its port, TLS, body limit and per-sender rate. */
export class IntakeSettings extends PipelineSettings {
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a port number' })
  @Min(1)
  @Max(65535)
  CAIRN_INTAKE_PORT: number = 4002;

  @Expose()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  CAIRN_INTAKE_HOST: string = '127.0.0.1';

  /** on: HTTPS (needs the files below); off: plain HTTP on purpose (behind a TLS proxy). */
  @Expose()
  @IsOptional()
  @IsIn(['on', 'off'], { message: 'must be on or off' })
  CAIRN_INTAKE_TLS?: 'on' | 'off';

  @Expose()
  @IsOptional()
  @IsString()
  CAIRN_INTAKE_TLS_CERT_FILE?: string;

  @Expose()
  @IsOptional()
  @IsString()
  CAIRN_INTAKE_TLS_KEY_FILE?: string;

  /** CA of senders' client certificates: senders may then authenticate by certificate (subject). */
  @Expose()
  @IsOptional()
  @IsString()
  CAIRN_INTAKE_TLS_CLIENT_CA_FILE?: string;

  /**
   * The largest body after decompression. The API server's webhook batches reach 10 MiB
   * (--audit-webhook-truncate-max-batch-size) plus envelope; ingest must accept what the intake
   * takes, so this may not exceed CAIRN_MAX_MESSAGE_BYTES.
   */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of bytes' })
  @Min(64 * 1024)
  @Max(64 * 1024 * 1024)
  CAIRN_INTAKE_MAX_BODY_BYTES: number = 12 * 1024 * 1024;

  /** Ingest's limit, read here only to refuse an intake limit ingest would dead-letter. */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of bytes' })
  @Min(1024)
  @Max(64 * 1024 * 1024)
  CAIRN_MAX_MESSAGE_BYTES: number = 12 * 1024 * 1024;

  /** Requests per minute per sender credential (bursts up to the same number). */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of requests per minute' })
  @Min(1)
  @Max(10_000_000)
  CAIRN_INTAKE_RATE_LIMIT_PER_MINUTE: number = 6000;

  /** How long Kafka may take to have a batch on every in-sync replica before the sender gets 503. */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(500)
  @Max(120_000)
  CAIRN_INTAKE_KAFKA_TIMEOUT_MS: number = 10_000;
}
