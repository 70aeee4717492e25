import 'reflect-metadata';
import { Expose, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PipelineSettings } from '@cairn/config';

/** The API's environment: property names are the variables, so a problem names what to fix. */
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
