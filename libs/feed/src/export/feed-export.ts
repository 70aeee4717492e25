import type { Client } from '@elastic/elasticsearch';
import type { AuditEventDocument } from '@cairn/event-schema';
import { matchesFeedFilter } from '../feed-filter';
import { FeedCursorCodec, START, streamKey } from './feed-cursor';
import { searchStoredHits, type StoredHit } from './stored-hits';
import {
  OWN_SORT,
  ownRecordsQuery,
  POSITION_SORT,
  positionedQuery,
  type FeedFilter,
  type Watermarks,
} from './export-query';

export interface WatermarkSource {
  read(): Promise<Watermarks>;
}

export interface FeedExportOptions {
  readonly timeoutMs: number;
  /**
   * How long after its time a record Cairn writes itself (access records, retention runs) is sure
   * to be visible: its write either finished within the Elasticsearch request timeout or failed.
   */
  readonly ownRecordSettleMs: number;
  readonly now?: () => number;
}

export interface FeedPage {
  /** The stored events, their documents left as bytes until a caller needs their fields. */
  readonly hits: readonly StoredHit[];
  /** Pass as `after` next; equal to the `after` given when nothing new was there (caught up). */
  readonly next: string;
}

/**
 * The pull export: pages of stored events in an order that needs no clock (see export-query),
 * read only below what ingest has committed and after a refresh, so an event stored late, or
 * carrying an old timestamp, is delivered once to a client paging from the beginning.
 */
export class FeedExport {
  private refreshedAt?: string;
  private readonly now: () => number;

  constructor(
    private readonly client: Client,
    private readonly indexPrefix: string,
    private readonly watermarks: WatermarkSource,
    private readonly codec: FeedCursorCodec,
    private readonly options: FeedExportOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Throws InvalidFeedCursorError for a cursor this API did not issue. */
  async page(after: string | undefined, limit: number, filter: FeedFilter): Promise<FeedPage> {
    const start = after === undefined ? START : this.codec.decode(after);
    const ownBefore = this.now() - this.options.ownRecordSettleMs;
    const marks = await this.watermarks.read();
    await this.refreshFor(marks);
    const streams = new Map(start.streams);
    let own = start.own;
    const positioned = await this.search(positionedQuery(start, marks, filter), POSITION_SORT, limit);
    // A hit's sort values are its position (POSITION_SORT): the cursor needs no parsed document.
    for (const { sort } of positioned) {
      const [topic, partition, offset, item] = sort as [string, number, number, number];
      streams.set(streamKey(topic, partition), [offset, item]);
    }
    const rest = limit - positioned.length;
    const records =
      rest > 0 ? await this.search(ownRecordsQuery(filter, ownBefore), OWN_SORT, rest, own) : [];
    const last = records.at(-1);
    if (last) own = last.sort as [number, string];
    const scanned = [...positioned, ...records];
    const next = scanned.length === 0 && after !== undefined ? after : this.codec.encode({ streams, own });
    // The other filters are in the query; severity is derived, so it is applied here.
    const minSeverity = filter.minSeverity;
    const matches = (hit: StoredHit) =>
      matchesFeedFilter(hit.document<AuditEventDocument>(), { minSeverity });
    return { hits: minSeverity ? scanned.filter(matches) : scanned, next };
  }

  /**
   * One refresh per new set of watermarks: a refresh makes every write acknowledged before it
   * visible, and everything below an unchanged watermark was already visible at the last one.
   */
  private async refreshFor(marks: Watermarks): Promise<void> {
    const signature = JSON.stringify([...marks.committed.entries()].sort());
    if (signature === this.refreshedAt) return;
    await this.client.indices.refresh({ index: `${this.indexPrefix}-*`, allow_no_indices: true });
    this.refreshedAt = signature;
  }

  private async search(
    query: Record<string, unknown>,
    sort: readonly object[],
    size: number,
    after?: readonly [number, string],
  ): Promise<StoredHit[]> {
    return searchStoredHits(
      this.client,
      {
        index: `${this.indexPrefix}-*`,
        allow_no_indices: true,
        ignore_unavailable: false,
        // A page without a shard's events would move the cursor past them: fail instead.
        allow_partial_search_results: false,
        size,
        query,
        sort: sort as never,
        track_total_hits: false,
        ...(after && { search_after: [...after] }),
        // No filter_path: Elasticsearch filters an answer by re-reading it, which cost more of its
        // CPU (~14 µs per event) than skipping _index, _id and _score here saves.
      },
      { requestTimeout: this.options.timeoutMs },
    );
  }
}

/** The committed offsets of the ingest group, by raw stream, from Kafka. */
export class KafkaWatermarks implements WatermarkSource {
  constructor(
    private readonly admin: {
      connect(): Promise<void>;
      fetchOffsets(options: {
        groupId: string;
        topics: string[];
      }): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
    },
    private readonly groupId: string,
    private readonly topics: readonly string[],
  ) {}

  async read(): Promise<Watermarks> {
    const committed = new Map<string, number>();
    // The API's admin connects on demand (it serves while Kafka is away); connect() is idempotent.
    await this.admin.connect();
    const answer = await this.admin.fetchOffsets({ groupId: this.groupId, topics: [...this.topics] });
    for (const { topic, partitions } of answer) {
      for (const { partition, offset } of partitions) {
        const value = Number(offset);
        if (value > 0) committed.set(streamKey(topic, partition), value);
      }
    }
    return { committed, topics: this.topics };
  }
}
