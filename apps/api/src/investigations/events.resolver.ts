import { Args, Context, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { EventSearch, InvalidCursorError, type EventSearchFilter } from '@cairn/elasticsearch-store';
import type { Outcome as StoredOutcome, Product } from '@cairn/event-schema';
import { parseImageReference } from '@cairn/normalizers';
import { countResults } from '../audit/access-audit.hook';
import { forbidden } from '../auth/auth-errors';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { Roles } from '../auth/roles.decorator';
import { toAuditEvent } from './audit-event.mapper';
import { AuditEvent, SortOrder } from './audit-event.model';
import { EventConnection } from './event-connection.model';
import { EventsArgs, type EventFilter } from './events.args';

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** An image filter as typed by a person, in the canonical spelling events are stored with. */
function imageFilter(input: string | undefined): EventSearchFilter['image'] {
  if (input === undefined) return undefined;
  if (DIGEST.test(input)) return { digest: input };
  const parsed = parseImageReference(input);
  if (!parsed) {
    throw new GraphQLError('filter.image: not an image reference or sha256 digest', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  const first = input.split('/')[0];
  const explicitRegistry =
    input.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return {
    name: parsed.name,
    repository: explicitRegistry ? undefined : input.split('@')[0].replace(/:[^/]*$/, ''),
    tag: parsed.tag,
    digest: parsed.digest,
  };
}

function toSearchFilter(filter: EventFilter | undefined): EventSearchFilter {
  return {
    from: filter?.from,
    to: filter?.to,
    sourceKinds: filter?.sourceKinds,
    products: filter?.products as Product[] | undefined,
    actions: filter?.actions,
    outcomes: filter?.outcomes?.map((outcome) => outcome.toLowerCase() as StoredOutcome),
    actor: filter?.actor,
    namespace: filter?.namespace,
    pod: filter?.pod,
    containerId: filter?.containerId,
    image: imageFilter(filter?.image),
    sourceIp: filter?.sourceIp,
    text: filter?.text,
  };
}

@Resolver(() => AuditEvent)
export class EventsResolver {
  constructor(private readonly search: EventSearch) {}

  @Query(() => EventConnection, { description: 'Events matching a filter, newest first by default.' })
  @Roles('admin', 'investigator', 'auditor')
  async events(@Args() args: EventsArgs, @Context('req') request: unknown): Promise<EventConnection> {
    try {
      const result = await this.search.search({
        filter: toSearchFilter(args.filter),
        first: args.first,
        after: args.after,
        order: args.order === SortOrder.ASC ? 'asc' : 'desc',
      });
      const edges = result.hits.map((hit) => ({ cursor: hit.cursor, node: toAuditEvent(hit.document) }));
      countResults(request, edges.length);
      return {
        totalCount: result.totalCount,
        edges,
        pageInfo: { hasNextPage: result.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      };
    } catch (error) {
      if (error instanceof InvalidCursorError) {
        throw new GraphQLError('after: not a cursor this API issued', {
          extensions: { code: 'BAD_USER_INPUT' },
        });
      }
      throw error;
    }
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
