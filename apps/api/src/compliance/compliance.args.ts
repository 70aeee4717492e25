import { ArgsType, Field, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { MAX_PAGE_SIZE } from '../investigations/events.args';
import { CONTROL_ID, Framework } from './compliance.model';
import { DateTimeScalar } from '../graphql/date-time.scalar';

@ArgsType()
export class EvidenceArgs {
  @Field(() => Framework)
  @IsEnum(Framework)
  framework!: Framework;

  @Field({ description: 'As the framework numbers it, e.g. "10.2.1.4".' })
  @IsString()
  @MaxLength(40)
  @Matches(CONTROL_ID, { message: 'control: not a control id' })
  control!: string;

  @Field(() => DateTimeScalar, { nullable: true })
  @IsOptional()
  from?: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  @IsOptional()
  to?: Date;

  @Field(() => Int, { defaultValue: 50, description: `At most ${MAX_PAGE_SIZE}.` })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first: number = 50;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  after?: string;
}

@ArgsType()
export class ReportArgs {
  @Field(() => Framework)
  @IsEnum(Framework)
  framework!: Framework;

  @Field(() => DateTimeScalar)
  from!: Date;

  @Field(() => DateTimeScalar)
  to!: Date;
}
