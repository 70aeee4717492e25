import { randomBytes } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { createIndexIfMissing, statusOf } from './elasticsearch-client';
import { pagingIndexName } from './index-names';
import { InvalidCursorError } from './search-cursor';

interface PagingRecord {
  readonly pit: string;
  readonly caller: string;
  readonly created_at: string;
}

/** Handles older than this are swept; a paging whose pages come less than 2 minutes apart lives that long. */
const HANDLE_LIFETIME_MS = 24 * 3600_000;
const SWEEP_EVERY_MS = 10 * 60_000;

/** The paging a cursor belongs to was closed (its last page, or the caller's cap) or swept. */
export class PagingEndedError extends InvalidCursorError {
  constructor() {
    super("the cursor's paging has ended");
    this.name = 'PagingEndedError';
  }
}

/**
 * Point-in-time ids grow with the number of indices a paging reads (1,315 characters over five
 * months, several kilobytes over a year), so cursors do not carry them: a cursor carries a short
 * random handle, and the id is kept in Elasticsearch under it (`<prefix>.pagings`). Kept in the
 * store rather than in one process, a cursor still works on any API instance and after a
 * restart; kept with its caller, a cursor another token presents is refused.
 */
export class PagingRegistry {
  private readonly index: string;
  private ready?: Promise<void>;
  private lastSweep = 0;

  constructor(
    private readonly client: Client,
    indexPrefix: string,
    private readonly replicas = 0,
    private readonly now: () => number = Date.now,
  ) {
    this.index = pagingIndexName(indexPrefix);
  }

  async open(pit: string, caller: string): Promise<string> {
    await this.ensureIndex();
    const handle = randomBytes(16).toString('base64url');
    const record: PagingRecord = { pit, caller, created_at: new Date(this.now()).toISOString() };
    await this.client.index({ index: this.index, id: handle, document: record, op_type: 'create' });
    if (this.now() - this.lastSweep > SWEEP_EVERY_MS) void this.sweep().catch(() => undefined);
    return handle;
  }

  /** The point in time behind a handle, for the caller that opened it. */
  async resolve(handle: string, caller: string): Promise<string> {
    let record: PagingRecord | undefined;
    try {
      record = (await this.client.get<PagingRecord>({ index: this.index, id: handle }))._source;
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
    if (!record) throw new PagingEndedError();
    if (record.caller !== caller) throw new InvalidCursorError('this cursor was issued to another caller');
    return record.pit;
  }

  /** Elasticsearch may answer a page with a new point-in-time id; later pages use it. */
  async renew(handle: string, pit: string): Promise<void> {
    await this.client.update({ index: this.index, id: handle, doc: { pit } });
  }

  async close(handle: string): Promise<void> {
    await this.client.delete({ index: this.index, id: handle }, { ignore: [404] });
  }

  private async sweep(): Promise<void> {
    this.lastSweep = this.now();
    const before = new Date(this.now() - HANDLE_LIFETIME_MS).toISOString();
    const old = await this.client.search({
      index: this.index,
      size: 1000,
      _source: false,
      query: { range: { created_at: { lt: before } } },
    });
    if (old.hits.hits.length === 0) return;
    await this.client.bulk({
      operations: old.hits.hits.map((hit) => ({ delete: { _index: this.index, _id: hit._id! } })),
    });
  }

  private ensureIndex(): Promise<void> {
    this.ready ??= this.createIndex().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private createIndex(): Promise<void> {
    return createIndexIfMissing(this.client, {
      index: this.index,
      settings: { number_of_shards: 1, number_of_replicas: this.replicas },
      mappings: {
        dynamic: 'strict',
        _meta: { managed_by: 'cairn' },
        properties: {
          pit: { type: 'keyword', index: false, doc_values: false },
          caller: { type: 'keyword' },
          created_at: { type: 'date' },
        },
      },
    });
  }
}
