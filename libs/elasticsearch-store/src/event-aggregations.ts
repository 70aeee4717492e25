import type { QueryDslQueryContainer } from '@elastic/elasticsearch/lib/api/types';
import { buildEventQuery, type EventSearchFilter } from './event-query';
import { StoreReader } from './store-reader';

/** The fields eventStats may count by; the names are the API's, the values stored fields. */
export const STATS_FIELDS = {
  actor: 'user.name',
  action: 'event.action',
  namespace: 'kubernetes.namespace',
  pod: 'kubernetes.pod.name',
  image: 'container.image.name',
  sourceIp: 'source.ip',
  product: 'cairn.product',
  outcome: 'event.outcome',
  rule: 'rule.name',
  container: 'container.id',
  registry: 'registry.name',
} as const;
export type StatsField = keyof typeof STATS_FIELDS;

export interface Bucket {
  readonly key: string;
  readonly count: number;
}

export interface TimeBucket {
  readonly start: Date;
  readonly count: number;
}

/** A histogram interval: a whole number of seconds, minutes, hours or days ("1h", "15m"). */
export const HISTOGRAM_INTERVAL = /^([1-9]\d{0,3})([smhd])$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export const MAX_HISTOGRAM_BUCKETS = 10_000;

export class TooManyBucketsError extends Error {
  constructor(readonly buckets: number) {
    super(`the range holds ${buckets} intervals; at most ${MAX_HISTOGRAM_BUCKETS} are answered`);
    this.name = 'TooManyBucketsError';
  }
}

export function intervalMs(interval: string): number | undefined {
  const match = HISTOGRAM_INTERVAL.exec(interval);
  return match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : undefined;
}

/** Milliseconds, `to` exclusive; undefined when nothing matches. */
interface TimeRange {
  readonly from: number;
  readonly to: number;
}

/** Top values and counts over time, for the same filters as event search. */
export class EventAggregations extends StoreReader {
  async stats(filter: EventSearchFilter, field: StatsField, size: number): Promise<Bucket[]> {
    const response = await this.searchAll(
      {
        size: 0,
        query: buildEventQuery(filter),
        aggs: { top: { terms: { field: STATS_FIELDS[field], size } } },
      },
      filter,
    );
    const top = response.aggregations?.top as
      { buckets: { key: string | number; doc_count: number }[] } | undefined;
    return (top?.buckets ?? []).map((bucket) => ({ key: String(bucket.key), count: bucket.doc_count }));
  }

  /**
   * Non-empty buckets, oldest first. The range is from..to, or where either is missing the oldest
   * or newest matching event: a range holding more than MAX_HISTOGRAM_BUCKETS intervals is refused,
   * and the histogram is hard-bounded to that range, so events arriving meanwhile cannot grow it.
   */
  async histogram(filter: EventSearchFilter, interval: string): Promise<TimeBucket[]> {
    const step = intervalMs(interval);
    if (step === undefined) throw new Error(`not a histogram interval: ${interval}`);
    const query: QueryDslQueryContainer = buildEventQuery(filter);
    const range = await this.rangeOf(filter, query);
    if (!range || range.to <= range.from) return [];
    const intervals = Math.floor((range.to - 1) / step) - Math.floor(range.from / step) + 1;
    if (intervals > MAX_HISTOGRAM_BUCKETS) throw new TooManyBucketsError(intervals);
    const response = await this.searchAll(
      {
        size: 0,
        query,
        aggs: {
          over_time: {
            date_histogram: {
              field: '@timestamp',
              fixed_interval: interval,
              min_doc_count: 1,
              // Elasticsearch keeps only whole intervals inside the bounds: widen them to the start of
              // the interval holding `from` and the end of the one holding `to` (the query still
              // excludes what lies outside from..to).
              hard_bounds: {
                min: Math.floor(range.from / step) * step,
                max: Math.ceil(range.to / step) * step,
              },
            },
          },
        },
      },
      filter,
    );
    const overTime = response.aggregations?.over_time as
      { buckets: { key: number; doc_count: number }[] } | undefined;
    const buckets = overTime?.buckets ?? [];
    if (buckets.length > MAX_HISTOGRAM_BUCKETS) throw new TooManyBucketsError(buckets.length);
    return buckets.map((bucket) => ({ start: new Date(bucket.key), count: bucket.doc_count }));
  }

  private async rangeOf(
    filter: EventSearchFilter,
    query: QueryDslQueryContainer,
  ): Promise<TimeRange | undefined> {
    if (filter.from && filter.to) return { from: filter.from.getTime(), to: filter.to.getTime() };
    const response = await this.searchAll(
      {
        size: 0,
        query,
        aggs: { oldest: { min: { field: '@timestamp' } }, newest: { max: { field: '@timestamp' } } },
      },
      filter,
    );
    const value = (name: string) =>
      (response.aggregations?.[name] as { value: number | null } | undefined)?.value;
    const oldest = value('oldest');
    const newest = value('newest');
    if (typeof oldest !== 'number' || typeof newest !== 'number') return undefined;
    const from = filter.from?.getTime() ?? oldest;
    const to = filter.to?.getTime() ?? newest + 1;
    return to > from ? { from, to } : undefined;
  }
}
