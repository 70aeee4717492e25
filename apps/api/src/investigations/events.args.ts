import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsEnum,
  IsIn,
  IsInt,
  IsIP,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PRODUCTS } from '@cairn/event-schema';
import { ControlRef } from '../compliance/compliance.model';
import { Outcome, SortOrder, SourceKind } from './audit-event.model';
import { DateTimeScalar } from '../graphql/date-time.scalar';

export const MAX_PAGE_SIZE = 500;

@InputType({ description: 'All given conditions must hold; lists match any of their values.' })
export class EventFilter {
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: "Inclusive, on the event's own timestamp.",
  })
  @IsOptional()
  from?: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Exclusive.' })
  @IsOptional()
  to?: Date;

  @Field(() => [SourceKind], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(3)
  @IsEnum(SourceKind, { each: true })
  sourceKinds?: SourceKind[];

  @Field(() => [String], { nullable: true, description: PRODUCTS.join(', ') })
  @IsOptional()
  @ArrayMaxSize(PRODUCTS.length)
  @IsIn(PRODUCTS, { each: true })
  products?: string[];

  @Field(() => [String], { nullable: true, description: 'Normalized actions, e.g. pods/exec.create.' })
  @IsOptional()
  @ArrayMaxSize(100)
  @Matches(/^[A-Za-z0-9._/:-]{1,256}$/, { each: true })
  actions?: string[];

  @Field(() => [Outcome], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(3)
  @IsEnum(Outcome, { each: true })
  outcomes?: Outcome[];

  @Field({ nullable: true, description: 'User or service account name, exact.' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  actor?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  namespace?: string;

  @Field({ nullable: true, description: 'Cluster name, exact (as its managed log export names it).' })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  cluster?: string;

  @Field({ nullable: true, description: 'Pod name, exact.' })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  pod?: string;

  @Field({ nullable: true, description: 'Full container id or any prefix of at least 12 hex characters.' })
  @IsOptional()
  @Matches(/^[0-9a-f]{12,64}$/, { message: 'containerId must be 12 to 64 lower-case hex characters' })
  containerId?: string;

  @Field({
    nullable: true,
    description:
      'repository, repository:tag, registry/repository[:tag], or a sha256 digest. Without a registry, ' +
      'Docker Hub is meant for runtime events (nginx = docker.io/library/nginx); registry events match the path.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  image?: string;

  @Field({ nullable: true, description: 'Client address (IPv4 or IPv6), exact.' })
  @IsOptional()
  @IsIP(undefined, { message: 'sourceIp must be an IP address' })
  sourceIp?: string;

  @Field({
    nullable: true,
    description:
      'Plain words, all of which must appear in the message, command line or resource name. Never query syntax.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  text?: string;

  @Field(() => ControlRef, { nullable: true, description: 'Events that evidence this compliance control.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ControlRef)
  control?: ControlRef;
}

@ArgsType()
export class EventsArgs {
  @Field(() => EventFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => EventFilter)
  filter?: EventFilter;

  @Field(() => Int, { defaultValue: 50, description: `At most ${MAX_PAGE_SIZE}.` })
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first: number = 50;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  after?: string;

  @Field(() => SortOrder, { defaultValue: SortOrder.DESC })
  @IsEnum(SortOrder)
  order: SortOrder = SortOrder.DESC;
}
