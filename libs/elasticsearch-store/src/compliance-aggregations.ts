import type { QueryDslQueryContainer } from '@elastic/elasticsearch/lib/api/types';
import { StoreReader } from './store-reader';

export interface ControlEvidence {
  readonly ref: string;
  readonly count: number;
  readonly firstSeen?: Date;
  readonly lastSeen?: Date;
  readonly sampleIds: string[];
}

export interface SourceCompleteness {
  readonly product: string;
  readonly events: number;
  /** Share (0..1) of the source's events carrying each field. */
  readonly shares: Record<string, number>;
}

export interface SilenceGap {
  readonly product: string;
  readonly cluster?: string;
  readonly from: Date;
  readonly to: Date;
}

/**
 * A required field, or a virtual one made of several: PCI DSS 10.2.2's "affected component"
 * is whichever of resource, container or repository the source records.
 */
export type FieldPresence = Record<string, readonly string[]>;

interface Window {
  readonly from: Date;
  readonly to: Date;
}

const range = ({ from, to }: Window): QueryDslQueryContainer => ({
  range: {
    '@timestamp': { gte: from.toISOString(), lt: to.toISOString(), format: 'strict_date_optional_time' },
  },
});
const notAccessRecords: QueryDslQueryContainer = { term: { 'cairn.product': 'cairn' } };
const SAMPLE_SIZE = 5;
const MAX_BUCKETS_PER_SOURCE = 2_000;

export interface FailedVerification {
  readonly at: Date;
  readonly message: string;
}

export interface RetentionRun {
  readonly at: Date;
  readonly record: {
    readonly deleted: readonly string[];
    readonly held: readonly string[];
    readonly days: number;
  };
}

/** The figures a compliance report is made of, each one search with aggregations. */
export class ComplianceAggregations extends StoreReader {
  private search(body: Record<string, unknown>) {
    return this.searchAll({ size: 0, ...body });
  }

  /** Per control: how many events evidence it in the window, first and last seen, a few ids. */
  async evidence(refs: readonly string[], window: Window): Promise<ControlEvidence[]> {
    if (refs.length === 0) return [];
    const response = await this.search({
      query: { bool: { filter: [range(window), { terms: { 'cairn.compliance.controls': [...refs] } }] } },
      aggs: {
        controls: {
          terms: { field: 'cairn.compliance.controls', include: [...refs], size: refs.length },
          aggs: {
            first: { min: { field: '@timestamp' } },
            last: { max: { field: '@timestamp' } },
            sample: { top_hits: { size: SAMPLE_SIZE, _source: false, sort: [{ '@timestamp': 'desc' }] } },
          },
        },
      },
    });
    type Bucket = {
      key: string;
      doc_count: number;
      first: { value: number | null };
      last: { value: number | null };
      sample: { hits: { hits: { _id: string }[] } };
    };
    const buckets = (response.aggregations?.controls as { buckets: Bucket[] } | undefined)?.buckets ?? [];
    const byRef = new Map(buckets.map((bucket) => [bucket.key, bucket]));
    return refs.map((ref) => {
      const bucket = byRef.get(ref);
      return {
        ref,
        count: bucket?.doc_count ?? 0,
        firstSeen: bucket?.first.value != null ? new Date(bucket.first.value) : undefined,
        lastSeen: bucket?.last.value != null ? new Date(bucket.last.value) : undefined,
        sampleIds: bucket?.sample.hits.hits.map((hit) => hit._id) ?? [],
      };
    });
  }

  /** Per source (product), the share of its events in the window that carry each field. */
  async completeness(fields: FieldPresence, window: Window): Promise<SourceCompleteness[]> {
    const filters = Object.fromEntries(
      Object.entries(fields).map(([name, stored]) => [
        name,
        { bool: { should: stored.map((field) => ({ exists: { field } })), minimum_should_match: 1 } },
      ]),
    );
    const response = await this.search({
      query: { bool: { filter: [range(window)], must_not: [notAccessRecords] } },
      aggs: {
        sources: {
          terms: { field: 'cairn.product', size: 50 },
          aggs: { fields: { filters: { filters } } },
        },
      },
    });
    type Bucket = {
      key: string;
      doc_count: number;
      fields: { buckets: Record<string, { doc_count: number }> };
    };
    const buckets = (response.aggregations?.sources as { buckets: Bucket[] } | undefined)?.buckets ?? [];
    return buckets.map((bucket) => ({
      product: bucket.key,
      events: bucket.doc_count,
      shares: Object.fromEntries(
        Object.keys(fields).map((name) => [name, bucket.fields.buckets[name].doc_count / bucket.doc_count]),
      ),
    }));
  }

  /** The newest retention run's record (`cairn retention` or ingest's schedule), for PCI DSS 10.5.1. */
  async lastRetentionRun(): Promise<RetentionRun | undefined> {
    const response = await this.searchAll<{
      '@timestamp': string;
      cairn: { retention?: RetentionRun['record'] };
    }>({
      size: 1,
      query: { term: { 'event.action': 'cairn.retention' } },
      sort: [{ '@timestamp': { order: 'desc' } }],
    });
    const hit = response.hits.hits[0]?._source;
    if (!hit?.cairn.retention) return undefined;
    return { at: new Date(hit['@timestamp']), record: hit.cairn.retention };
  }

  /** Verifications of the hash chains in the window that found something, newest first. */
  async failedVerifications(window: Window, size = 20): Promise<FailedVerification[]> {
    const response = await this.searchAll<{ '@timestamp': string; message?: string }>({
      size,
      query: {
        bool: {
          filter: [
            { term: { 'event.action': 'cairn.integrity.verify' } },
            { term: { 'event.outcome': 'failure' } },
            { range: { '@timestamp': { gte: window.from.toISOString(), lt: window.to.toISOString() } } },
          ],
        },
      },
      sort: [{ '@timestamp': { order: 'desc' } }],
      _source: ['@timestamp', 'message'],
    });
    return response.hits.hits.map((hit) => ({
      at: new Date(hit._source!['@timestamp']),
      message: hit._source!.message ?? '',
    }));
  }

  /** The oldest stored event (access records aside), for retention. */
  async oldestEvent(): Promise<Date | undefined> {
    const response = await this.search({
      query: { bool: { must_not: [notAccessRecords] } },
      aggs: { oldest: { min: { field: '@timestamp' } } },
    });
    const value = (response.aggregations?.oldest as { value: number | null } | undefined)?.value;
    return value != null ? new Date(value) : undefined;
  }

  /**
   * Every stretch of the window, at least `thresholdMs` long, in which a source (product and
   * cluster) that has ever sent sent nothing. Found on a histogram whose step is a quarter of the
   * threshold (coarser for long windows), so a gap's edges are exact to one step.
   */
  async silenceGaps(window: Window, thresholdMs: number): Promise<{ gaps: SilenceGap[]; stepMs: number }> {
    const spanMs = window.to.getTime() - window.from.getTime();
    const stepMs = Math.max(
      60_000,
      Math.ceil(thresholdMs / 4 / 60_000) * 60_000,
      Math.ceil(spanMs / MAX_BUCKETS_PER_SOURCE / 60_000) * 60_000,
    );
    const cluster = { terms: { field: 'orchestrator.cluster.name', size: 50, missing: '' } };
    // Every source ever heard from, and since when: silence before a source's first event is not
    // a source that stopped.
    const known = await this.search({
      query: {
        bool: {
          filter: [{ range: { '@timestamp': { lt: window.to.toISOString() } } }],
          must_not: [notAccessRecords],
        },
      },
      aggs: {
        products: {
          terms: { field: 'cairn.product', size: 50 },
          aggs: { clusters: { ...cluster, aggs: { first: { min: { field: '@timestamp' } } } } },
        },
      },
    });
    type Keyed = { key: string };
    const sources = (
      (
        known.aggregations?.products as
          | { buckets: (Keyed & { clusters: { buckets: (Keyed & { first: { value: number } })[] } })[] }
          | undefined
      )?.buckets ?? []
    ).flatMap((product) =>
      product.clusters.buckets.map((c) => ({ product: product.key, cluster: c.key, firstMs: c.first.value })),
    );
    if (sources.length === 0) return { gaps: [], stepMs };
    const histogram = await this.search({
      query: { bool: { filter: [range(window)], must_not: [notAccessRecords] } },
      aggs: {
        products: {
          terms: { field: 'cairn.product', size: 50 },
          aggs: {
            clusters: {
              ...cluster,
              aggs: {
                over_time: {
                  date_histogram: {
                    field: '@timestamp',
                    fixed_interval: `${stepMs / 60_000}m`,
                    min_doc_count: 1,
                    offset: `${window.from.getTime() % stepMs}ms`,
                  },
                },
              },
            },
          },
        },
      },
    });
    type Time = { key: number };
    const seen = new Map<string, number[]>();
    for (const product of (
      histogram.aggregations?.products as
        | { buckets: (Keyed & { clusters: { buckets: (Keyed & { over_time: { buckets: Time[] } })[] } })[] }
        | undefined
    )?.buckets ?? []) {
      for (const c of product.clusters.buckets) {
        seen.set(
          `${product.key}\u0000${c.key}`,
          c.over_time.buckets.map((bucket) => bucket.key),
        );
      }
    }
    const end = Math.min(window.to.getTime(), Date.now());
    const gaps = sources.flatMap((source) =>
      quietStretches(
        seen.get(`${source.product}\u0000${source.cluster}`) ?? [],
        Math.max(window.from.getTime(), source.firstMs),
        end,
        stepMs,
        thresholdMs,
      ).map(([from, to]) => ({
        product: source.product,
        cluster: source.cluster || undefined,
        from: new Date(from),
        to: new Date(to),
      })),
    );
    return { gaps, stepMs };
  }
}

/**
 * The stretches of [from, end) at least `thresholdMs` long that hold no busy step, given the
 * start times of the steps (`stepMs` long, sorted) in which the source sent something.
 */
export function quietStretches(
  busyStarts: readonly number[],
  from: number,
  end: number,
  stepMs: number,
  thresholdMs: number,
): [number, number][] {
  const stretches: [number, number][] = [];
  let quietFrom = from;
  for (const start of [...busyStarts, end]) {
    const until = Math.min(start, end);
    if (until - quietFrom >= thresholdMs) stretches.push([quietFrom, until]);
    quietFrom = Math.max(quietFrom, start + stepMs);
  }
  return stretches;
}
