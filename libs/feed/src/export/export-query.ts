import type { Product, SourceKind } from '@cairn/event-schema';
import type { SeverityLevel } from '@cairn/siem-formats';
import { parseStream, streamKey, type FeedPosition } from './feed-cursor';

/** What a SIEM may ask of the export, besides where to start. */
export interface FeedFilter {
  readonly products?: readonly Product[];
  readonly sourceKinds?: readonly SourceKind[];
  readonly controls?: readonly string[];
  readonly minSeverity?: SeverityLevel;
  /** Events that happened at or after this time (by @timestamp). */
  readonly from?: Date;
}

/**
 * How far each raw stream is safe to read: every message below the ingest group's committed offset
 * is final (stored or dead-lettered), so after a refresh every event it became is visible. Streams
 * of topics ingest consumes but has not committed yet are not safe at all (absent = 0).
 */
export interface Watermarks {
  readonly committed: ReadonlyMap<string, number>;
  /** The raw topics ingest consumes: their streams are bounded by `committed`; others are finished. */
  readonly topics: readonly string[];
}

type Query = Record<string, unknown>;

// unmapped_type: a monthly index created before positions existed (and not yet given the catalog's
// mapping by ingest's start-up) sorts as empty instead of failing the whole export.
export const POSITION_SORT = [
  { 'cairn.position.topic': { order: 'asc', unmapped_type: 'keyword' } },
  { 'cairn.position.partition': { order: 'asc', unmapped_type: 'integer' } },
  { 'cairn.position.offset': { order: 'asc', unmapped_type: 'long' } },
  { 'cairn.position.item': { order: 'asc', unmapped_type: 'integer' } },
] as const;

export const OWN_SORT = [{ 'event.ingested': 'asc' }, { 'event.id': 'asc' }] as const;

function filterClauses(filter: FeedFilter): Query[] {
  const clauses: Query[] = [];
  if (filter.products?.length) clauses.push({ terms: { 'cairn.product': [...filter.products] } });
  if (filter.sourceKinds?.length) clauses.push({ terms: { 'cairn.source_kind': [...filter.sourceKinds] } });
  if (filter.controls?.length) clauses.push({ terms: { 'cairn.compliance.controls': [...filter.controls] } });
  if (filter.from) clauses.push({ range: { '@timestamp': { gte: filter.from.toISOString() } } });
  return clauses;
}

const inStream = (stream: string): Query[] => {
  const { topic, partition } = parseStream(stream);
  return [{ term: { 'cairn.position.topic': topic } }, { term: { 'cairn.position.partition': partition } }];
};

/** (offset, item) strictly after the cursor's pair. */
function after([offset, item]: readonly [number, number]): Query {
  return {
    bool: {
      should: [
        { range: { 'cairn.position.offset': { gt: offset } } },
        {
          bool: {
            filter: [
              { term: { 'cairn.position.offset': offset } },
              { range: { 'cairn.position.item': { gt: item } } },
            ],
          },
        },
      ],
      minimum_should_match: 1,
    },
  };
}

/**
 * Events ingest stored, after the cursor in each stream and below each stream's watermark, in
 * stream order: within a stream a page is always a contiguous run, so the cursor never skips one.
 * Streams the cursor has not met yet start at their beginning; streams of topics ingest no longer
 * consumes are finished and read to their end.
 */
export function positionedQuery(position: FeedPosition, marks: Watermarks, filter: FeedFilter): Query {
  const consumed = new Set(marks.topics);
  const known = new Set([...position.streams.keys(), ...marks.committed.keys()]);
  const streams: Query[] = [];
  for (const stream of known) {
    const bound = consumed.has(parseStream(stream).topic) ? (marks.committed.get(stream) ?? 0) : undefined;
    if (bound === 0) continue;
    const delivered = position.streams.get(stream);
    const clauses = [...inStream(stream)];
    if (delivered) clauses.push(after(delivered));
    if (bound !== undefined) clauses.push({ range: { 'cairn.position.offset': { lt: bound } } });
    streams.push({ bool: { filter: clauses } });
  }
  // Streams neither side knows: only of topics ingest does not consume (consumed ones have a mark).
  streams.push({
    bool: {
      filter: [{ exists: { field: 'cairn.position.topic' } }],
      must_not: [
        ...(consumed.size > 0 ? [{ terms: { 'cairn.position.topic': [...consumed] } }] : []),
        ...[...known].map((stream) => ({ bool: { filter: inStream(stream) } })),
      ],
    },
  });
  return {
    bool: { filter: [...filterClauses(filter), { bool: { should: streams, minimum_should_match: 1 } }] },
  };
}

/** Records Cairn writes itself, by the time it wrote them, up to `before` (ms). */
export function ownRecordsQuery(filter: FeedFilter, beforeMs: number): Query {
  return {
    bool: {
      filter: [
        ...filterClauses(filter),
        { range: { 'event.ingested': { lt: beforeMs, format: 'epoch_millis' } } },
      ],
      must_not: [{ exists: { field: 'cairn.position.topic' } }],
    },
  };
}

export { streamKey };
