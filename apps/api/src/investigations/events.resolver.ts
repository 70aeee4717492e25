import { Args, Context, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { assertMayRead, callerOf, countResults, type PolicedRequest } from '@cairn/api-policy';
import { EventSearch } from '@cairn/elasticsearch-store';
import { Roles } from '../auth/roles.decorator';
import { toAuditEvent } from './audit-event.mapper';
import { badInput, toConnection, withCursorCheck } from './connection';
import { AuditEvent, SortOrder } from './audit-event.model';
import { EventConnection } from './event-connection.model';
import { EventsArgs } from './events.args';
import { toSearchFilter } from './search-filter';
import { TimelineArgs } from './stats.args';

@Resolver(() => AuditEvent)
export class EventsResolver {
  constructor(private readonly search: EventSearch) {}

  @Query(() => EventConnection, { description: 'Events matching a filter, newest first by default.' })
  @Roles('admin', 'investigator', 'auditor')
  async events(
    @Args() args: EventsArgs,
    @Context('req') request: PolicedRequest & { ip: string },
  ): Promise<EventConnection> {
    const filter = toSearchFilter(args.filter, request.principal);
    const result = await withCursorCheck(() =>
      this.search.search({
        filter,
        first: args.first,
        after: args.after,
        order: args.order === SortOrder.ASC ? 'asc' : 'desc',
        caller: callerOf(request),
      }),
    );
    return toConnection(result, request);
  }

  @Query(() => EventConnection, {
    description:
      'Everything that happened to a container or pod, oldest first, from every source: runtime ' +
      'events, Falco alerts, the Kubernetes requests on the pod, registry events for its image digests.',
  })
  @Roles('admin', 'investigator', 'auditor')
  async containerTimeline(
    @Args() args: TimelineArgs,
    @Context('req') request: PolicedRequest & { ip: string },
  ): Promise<EventConnection> {
    if (!args.containerId && !args.pod) throw badInput('containerTimeline needs containerId or pod');
    const result = await withCursorCheck(() =>
      this.search.timeline(
        { containerId: args.containerId, namespace: args.namespace, pod: args.pod },
        args.first,
        args.after,
        callerOf(request),
      ),
    );
    return toConnection(result, request);
  }

  @Query(() => AuditEvent, { nullable: true })
  @Roles('admin', 'investigator', 'auditor')
  async event(
    @Args('id', { type: () => ID }) id: string,
    @Context('req') request: unknown,
  ): Promise<AuditEvent | null> {
    if (!/^[0-9a-f]{64}$/.test(id)) return null;
    const document = await this.search.findById(id);
    if (document) countResults(request, 1);
    return document ? toAuditEvent(document) : null;
  }

  @ResolveField(() => String, { nullable: true })
  original(@Parent() event: AuditEvent, @Context('req') request: PolicedRequest): string | null {
    assertMayRead(request.principal?.role, 'AuditEvent.original');
    return event.original ?? null;
  }
}
