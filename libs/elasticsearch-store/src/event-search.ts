import type { Client } from '@elastic/elasticsearch';
import type { QueryDslQueryContainer, SortCombinations } from '@elastic/elasticsearch/lib/api/types';
import type { AuditEventDocument, Outcome, Product, SourceKind } from '@cairn/event-schema';
import { readAlias } from './index-names';
import { decodeCursor, encodeCursor } from './search-cursor';

export interface EventSearchFilter {
  readonly from?: Date;
  readonly to?: Date;
  readonly sourceKinds?: readonly SourceKind[];
  readonly products?: readonly Product[];
  readonly actions?: readonly string[];
  readonly outcomes?: readonly Outcome[];
  readonly actor?: string;
  readonly namespace?: string;
}

export interface EventSearchRequest {
  readonly filter?: EventSearchFilter;
  readonly first: number;
  readonly after?: string;
  readonly order: 'asc' | 'desc';
}

export interface EventSearchHit {
  readonly cursor: string;
  readonly document: AuditEventDocument;
}

export interface EventSearchResult {
  readonly totalCount: number;
  readonly hits: readonly EventSearchHit[];
  readonly hasNextPage: boolean;
}

/** Only term and range clauses built from typed values: user input never becomes query syntax. */
export function buildEventQuery(filter: EventSearchFilter = {}): QueryDslQueryContainer {
  const clauses: QueryDslQueryContainer[] = [];
  if (filter.from || filter.to) {
    clauses.push({
      range: {
        '@timestamp': {
          ...(filter.from ? { gte: filter.from.toISOString() } : {}),
          ...(filter.to ? { lt: filter.to.toISOString() } : {}),
          format: 'strict_date_optional_time',
        },
      },
    });
  }
  const terms = (field: string, values?: readonly string[]) => {
    if (values && values.length > 0) clauses.push({ terms: { [field]: [...values] } });
  };
  terms('cairn.source_kind', filter.sourceKinds);
  terms('cairn.product', filter.products);
  terms('event.action', filter.actions);
  terms('event.outcome', filter.outcomes);
  if (filter.actor !== undefined) clauses.push({ term: { 'user.name': filter.actor } });
  if (filter.namespace !== undefined) clauses.push({ term: { 'orchestrator.namespace': filter.namespace } });
  return { bool: { filter: clauses } };
}

export class EventSearch {
  constructor(
    private readonly client: Client,
    private readonly indexPrefix: string,
  ) {}

  async search(request: EventSearchRequest): Promise<EventSearchResult> {
    const sort: SortCombinations[] = [
      { '@timestamp': { order: request.order, format: 'epoch_millis' } },
      { 'event.id': { order: request.order } },
    ];
    const response = await this.client.search<AuditEventDocument>({
      index: readAlias(this.indexPrefix),
      ignore_unavailable: true,
      allow_no_indices: true,
      query: buildEventQuery(request.filter),
      sort,
      size: request.first + 1,
      track_total_hits: true,
      ...(request.after ? { search_after: decodeCursor(request.after) } : {}),
    });
    const hits = response.hits.hits;
    const total = response.hits.total;
    return {
      totalCount: typeof total === 'number' ? total : (total?.value ?? 0),
      hasNextPage: hits.length > request.first,
      hits: hits.slice(0, request.first).map((hit) => ({
        cursor: encodeCursor(hit.sort ?? []),
        document: hit._source!,
      })),
    };
  }

  async findById(id: string): Promise<AuditEventDocument | undefined> {
    const response = await this.client.search<AuditEventDocument>({
      index: readAlias(this.indexPrefix),
      ignore_unavailable: true,
      allow_no_indices: true,
      query: { ids: { values: [id] } },
      size: 1,
    });
    return response.hits.hits[0]?._source;
  }
}
