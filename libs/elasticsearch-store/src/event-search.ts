import type { Client } from '@elastic/elasticsearch';
import type {
  QueryDslQueryContainer,
  SearchResponse,
  SortCombinations,
} from '@elastic/elasticsearch/lib/api/types';
import type { AuditEventDocument } from '@cairn/event-schema';
import { statusOf } from './elasticsearch-client';
import { CursorCodec, InvalidCursorError } from './search-cursor';
import { PagingEndedError, PagingRegistry } from './paging-registry';
import { PointInTimeBudget } from './point-in-time-budget';
import { StoreReader, type SearchOptions, type TimeRange } from './store-reader';
import { WHOLE_ANSWER } from './whole-answers';
import {
  anyOf,
  buildEventQuery,
  containerIdClause,
  namespaceClause,
  type EventSearchFilter,
} from './event-query';

/** Kubernetes requests on one pod: created, exec'd or attached into, port-forwarded, deleted. */
function podRequestsClause(pod: string, namespace?: string): QueryDslQueryContainer {
  return {
    bool: {
      filter: [
        { term: { 'orchestrator.resource.type': 'pods' } },
        { term: { 'orchestrator.resource.name': pod } },
        ...(namespace ? [namespaceClause(namespace)] : []),
      ],
    },
  };
}

const PIT_KEEP_ALIVE = '2m';
const PIT_KEEP_ALIVE_MS = 120_000;
export const DEFAULT_MAX_OPEN_PIT_PER_CALLER = 20;

export interface EventSearchRequest {
  readonly filter?: EventSearchFilter;
  readonly first: number;
  readonly after?: string;
  readonly order: 'asc' | 'desc';
  /** Who pages: points in time are capped per caller. */
  readonly caller?: string;
}

export interface TimelineSubject {
  readonly containerId?: string;
  readonly namespace?: string;
  readonly pod?: string;
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

export interface EventSearchOptions extends SearchOptions {
  /** Open points in time one caller may hold (CAIRN_API_MAX_OPEN_PAGINGS). */
  readonly maxOpenPitPerCaller?: number;
  /** Replicas of the paging-handle index (as configured for the monthly indices). */
  readonly replicas?: number;
}

export class EventSearch extends StoreReader {
  private readonly pits: PointInTimeBudget;
  private readonly pagings: PagingRegistry;

  constructor(
    client: Client,
    indexPrefix: string,
    private readonly cursors: CursorCodec = new CursorCodec(),
    options: EventSearchOptions = {},
  ) {
    super(client, indexPrefix, options);
    this.pits = new PointInTimeBudget(
      options.maxOpenPitPerCaller ?? DEFAULT_MAX_OPEN_PIT_PER_CALLER,
      PIT_KEEP_ALIVE_MS,
    );
    this.pagings = new PagingRegistry(client, indexPrefix, options.replicas ?? 0);
  }

  async search(request: EventSearchRequest): Promise<EventSearchResult> {
    return this.page(buildEventQuery(request.filter), request, request.filter ?? {});
  }

  /**
   * Everything that happened to one container or pod, whichever source told it: runtime events
   * and Falco alerts on the container (full or 12-character ids) or pod, the Kubernetes requests
   * on the pod (create, exec, attach, port-forward, delete) — for a container, on the pods its
   * runtime events name — and registry events for the image digests its runtime events name.
   * Works from stored events alone, after all of it is gone.
   */
  async timeline(
    subject: TimelineSubject,
    first: number,
    after?: string,
    caller?: string,
  ): Promise<EventSearchResult> {
    const seeds: QueryDslQueryContainer[] = [];
    if (subject.containerId) seeds.push(containerIdClause(subject.containerId));
    if (subject.pod) {
      const namespace = subject.namespace ? [namespaceClause(subject.namespace)] : [];
      seeds.push({ bool: { filter: [{ term: { 'kubernetes.pod.name': subject.pod } }, ...namespace] } });
      seeds.push(podRequestsClause(subject.pod, subject.namespace));
    }
    if (seeds.length === 0) throw new Error('a timeline needs a container id or a pod');
    const named = await this.namedByRuntime(anyOf(seeds));
    const subjects = [
      ...seeds,
      ...(subject.containerId ? named.pods.map((pod) => podRequestsClause(pod.name, pod.namespace)) : []),
      ...(named.digests.length > 0 ? [{ terms: { 'registry.digest': named.digests } }] : []),
    ];
    return this.page(anyOf(subjects), { first, after, order: 'asc', caller });
  }

  /** The image digests and the pods (name and namespace) the subject's runtime events name. */
  private async namedByRuntime(query: QueryDslQueryContainer) {
    const response = await this.searchAll({
      size: 0,
      query,
      aggs: {
        digests: { terms: { field: 'container.image.hash.all', size: 20 } },
        // multi_terms is an x-pack aggregation; nested terms work on every distribution.
        pods: {
          terms: { field: 'kubernetes.pod.name', size: 20 },
          aggs: { namespaces: { terms: { field: 'kubernetes.namespace', size: 5 } } },
        },
      },
    });
    type Buckets<T> = { buckets: ({ key: string } & T)[] } | undefined;
    const digests = response.aggregations?.digests as Buckets<object>;
    const pods = response.aggregations?.pods as Buckets<{ namespaces: Buckets<object> }>;
    return {
      digests: (digests?.buckets ?? []).map((bucket) => bucket.key),
      pods: (pods?.buckets ?? []).flatMap((pod) =>
        (pod.namespaces?.buckets ?? []).map((namespace) => ({ name: pod.key, namespace: namespace.key })),
      ),
    };
  }

  private async page(
    query: QueryDslQueryContainer,
    request: { first: number; after?: string; order: 'asc' | 'desc'; caller?: string },
    range: TimeRange = {},
  ): Promise<EventSearchResult> {
    const caller = request.caller ?? '';
    const position = request.after ? this.cursors.decode(request.after) : undefined;
    let paging = position?.paging;
    const readPit = paging ? await this.pagings.resolve(paging, caller).catch(this.ended) : undefined;
    const sort: SortCombinations[] = [
      { '@timestamp': { order: request.order, format: 'epoch_millis' } },
      { 'event.id': { order: request.order } },
    ];
    const target = readPit
      ? { pit: { id: readPit, keep_alive: PIT_KEEP_ALIVE } }
      : { index: this.indicesFor(range), ignore_unavailable: true, allow_no_indices: true };
    let response: SearchResponse<AuditEventDocument>;
    try {
      response = await this.client.search<AuditEventDocument>(
        {
          ...target,
          query,
          sort,
          size: request.first + 1,
          track_total_hits: true,
          ...WHOLE_ANSWER,
          ...(position ? { search_after: position.sort } : {}),
        },
        this.transport,
      );
    } catch (error) {
      if (readPit && statusOf(error) === 404) this.ended(new PagingEndedError());
      throw error;
    }
    const hits = response.hits.hits;
    const total = response.hits.total;
    const hasNextPage = hits.length > request.first;
    let pit = response.pit_id ?? readPit;
    if (paging && pit) {
      this.pits.used(caller, paging);
      if (pit !== readPit) await this.pagings.renew(paging, pit);
    }
    // More pages to come: they read a point in time, so events arriving meanwhile neither shift
    // nor repeat them. A one-page answer (most) costs no point in time at all.
    if (hasNextPage && !paging) {
      pit = await this.openPointInTime(range);
      if (pit) {
        paging = await this.pagings.open(pit, caller);
        await this.closePagings(caller, this.pits.opened(caller, paging));
      }
    }
    if (!hasNextPage && paging) {
      this.pits.closed(caller, paging);
      await this.closePagings(caller, [paging], pit);
      paging = undefined;
    }
    return {
      totalCount: typeof total === 'number' ? total : (total?.value ?? 0),
      hasNextPage,
      hits: hits.slice(0, request.first).map((hit) => ({
        cursor: this.cursors.encode({ sort: hit.sort as [number | string, string], paging }),
        document: hit._source!,
      })),
    };
  }

  /** A paging that ended says why it may have, in words a person can act on. */
  private readonly ended = (error: unknown): never => {
    if (!(error instanceof PagingEndedError)) throw error;
    throw new InvalidCursorError(
      "the cursor's point in time expired (2 minutes without a page) or was closed because this caller " +
        `opened more than ${this.pits.maxPerCaller} pagings since; start again from the first page`,
    );
  };

  /** Closes pagings' points in time and forgets their handles; best effort (they expire anyway). */
  private async closePagings(caller: string, handles: readonly string[], knownPit?: string): Promise<void> {
    await Promise.all(
      handles.map(async (handle) => {
        const pit = knownPit ?? (await this.pagings.resolve(handle, caller).catch(() => undefined));
        if (pit) await this.client.closePointInTime({ id: pit }).catch(() => undefined);
        await this.pagings.close(handle).catch(() => undefined);
      }),
    );
  }

  private async openPointInTime(range: TimeRange): Promise<string | undefined> {
    try {
      const opened = await this.client.openPointInTime({
        index: this.indicesFor(range),
        keep_alive: PIT_KEEP_ALIVE,
        ignore_unavailable: true,
      });
      return opened.id;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async findById(id: string): Promise<AuditEventDocument | undefined> {
    // An id is stored once (identity claims); sorting by index still makes the answer one
    // document whatever an older store holds.
    const response = await this.searchAll<AuditEventDocument>({
      query: { ids: { values: [id] } },
      size: 1,
      sort: [{ _index: { order: 'asc' } }],
    });
    return response.hits.hits[0]?._source;
  }
}
