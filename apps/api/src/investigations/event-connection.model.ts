import { Field, Int, ObjectType } from '@nestjs/graphql';
import { AuditEvent } from './audit-event.model';

@ObjectType()
export class EventEdge {
  @Field() cursor!: string;
  @Field(() => AuditEvent) node!: AuditEvent;
}

@ObjectType()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType()
export class EventConnection {
  @Field(() => Int, { description: 'Exact number of events matching the filter.' }) totalCount!: number;
  @Field(() => [EventEdge]) edges!: EventEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
