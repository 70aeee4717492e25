import { Args, Context, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { EventSearch, InvalidCursorError, type EventSearchResult } from '@cairn/elasticsearch-store';
import { countResults } from '../audit/access-audit.hook';
import { forbidden } from '../auth/auth-errors';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { Roles } from '../auth/roles.decorator';
import { toAuditEvent } from './audit-event.mapper';
import { AuditEvent, SortOrder } from './audit-event.model';
import { EventConnection } from './event-connection.model';
import { EventsArgs } from './events.args';
import { toSearchFilter } from './search-filter';
import { TimelineArgs } from './stats.args';

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

function toConnection(result: EventSearchResult, request: unknown): EventConnection {
  const edges = result.hits.map((hit) => ({ cursor: hit.cursor, node: toAuditEvent(hit.document) }));
  countResults(request, edges.length);
  return {
    totalCount: result.totalCount,
    edges,
    pageInfo: { hasNextPage: result.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

/** A cursor this API did not issue is the caller's mistake, said so, never passed on. */
async function withCursorCheck<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvalidCursorError) throw badInput(`after: ${error.message}`);
    throw error;
  }
}

@Resolver(() => AuditEvent)
export class EventsResolver {
  constructor(private readonly search: EventSearch) {}

  @Query(() => EventConnection, { description: 'Events matching a filter, newest first by default.' })
  @Roles('admin', 'investigator', 'auditor')
  async events(@Args() args: EventsArgs, @Context('req') request: unknown): Promise<EventConnection> {
    const filter = toSearchFilter(args.filter);
    const result = await withCursorCheck(() =>
      this.search.search({
        filter,
        first: args.first,
        after: args.after,
        order: args.order === SortOrder.ASC ? 'asc' : 'desc',
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
    @Context('req') request: unknown,
  ): Promise<EventConnection> {
    if (!args.containerId && !args.pod) throw badInput('containerTimeline needs containerId or pod');
    const result = await withCursorCheck(() =>
      this.search.timeline(
        { containerId: args.containerId, namespace: args.namespace, pod: args.pod },
        args.first,
        args.after,
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
  original(@Parent() event: AuditEvent, @Context('req') request: AuthenticatedRequest): string | null {
    const role = request.principal?.role;
    if (role !== 'admin' && role !== 'investigator') throw forbidden('original');
    return event.original ?? null;
  }
}
