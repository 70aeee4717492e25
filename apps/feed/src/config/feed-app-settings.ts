import 'reflect-metadata';
import { Expose, Type } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { CommonSettings } from '@cairn/config';

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
