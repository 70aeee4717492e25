import 'reflect-metadata';
import { Expose } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MinLength } from 'class-validator';

export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/**
 * How every process secures its connections to Kafka and Elasticsearch (TLS files, SASL); the
 * files themselves are read and checked by transport-config.ts. Secrets are read there too
 * (KAFKA_SASL_PASSWORD, ELASTICSEARCH_PASSWORD and API key, each also as _FILE).
 */
export class TransportSettings {
  /** TLS to the brokers: on by default whenever a TLS file or SASL is set; false only on purpose. */
  @Expose()
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  KAFKA_TLS?: 'true' | 'false';

  @Expose()
  @IsOptional()
  @IsString()
  KAFKA_TLS_CA_FILE?: string;

  @Expose()
  @IsOptional()
  @IsString()
  KAFKA_TLS_CERT_FILE?: string;

  @Expose()
  @IsOptional()
  @IsString()
  KAFKA_TLS_KEY_FILE?: string;

  /** The name the brokers' certificates are checked against, when it is not the broker address. */
  @Expose()
  @IsOptional()
  @Matches(/^[A-Za-z0-9.-]{1,253}$/, { message: 'must be a host name' })
  KAFKA_TLS_SERVER_NAME?: string;

  @Expose()
  @IsOptional()
  @IsIn(KAFKA_SASL_MECHANISMS, { message: `must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}` })
  KAFKA_SASL_MECHANISM?: KafkaSaslMechanism;

  @Expose()
  @IsOptional()
  @IsString()
  @MinLength(1)
  KAFKA_SASL_USERNAME?: string;

  /** SHA-256 fingerprint of the CA (or the node's certificate), as Elasticsearch prints it at set-up. */
  @Expose()
  @IsOptional()
  @Matches(/^(?:[0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/, {
    message: 'must be a SHA-256 fingerprint: 64 hex digits, colons allowed (AB:CD:…)',
  })
  ELASTICSEARCH_CA_FINGERPRINT?: string;

  @Expose()
  @IsOptional()
  @IsString()
  ELASTICSEARCH_CERT_FILE?: string;

  @Expose()
  @IsOptional()
  @IsString()
  ELASTICSEARCH_KEY_FILE?: string;
}
