import { ArgsType, Field, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { HISTOGRAM_INTERVAL } from '@cairn/elasticsearch-store';
import { EventFilter, MAX_PAGE_SIZE } from './events.args';
import { StatsField } from './stats.model';

export const MAX_STATS_SIZE = 100;

@ArgsType()
export class StatsArgs {
  @Field(() => EventFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => EventFilter)
  filter?: EventFilter;

  @Field(() => StatsField)
  @IsEnum(StatsField)
  field!: StatsField;

  @Field(() => Int, { defaultValue: 10, description: `At most ${MAX_STATS_SIZE}.` })
  @IsInt()
  @Min(1)
  @Max(MAX_STATS_SIZE)
  size: number = 10;
}

@ArgsType()
export class HistogramArgs {
  @Field(() => EventFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => EventFilter)
  filter?: EventFilter;

  @Field({ description: 'A whole number of s, m, h or d, e.g. "1h" or "15m".' })
  @Matches(HISTOGRAM_INTERVAL, { message: 'interval must look like 30s, 15m, 1h or 1d' })
  interval!: string;
}

@ArgsType()
export class TimelineArgs {
  @Field({ nullable: true, description: 'Full container id or a prefix of at least 12 hex characters.' })
  @IsOptional()
  @Matches(/^[0-9a-f]{12,64}$/, { message: 'containerId must be 12 to 64 lower-case hex characters' })
  containerId?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  namespace?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  pod?: string;

  @Field(() => Int, { defaultValue: 200, description: `At most ${MAX_PAGE_SIZE}.` })
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first: number = 200;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  after?: string;
}
