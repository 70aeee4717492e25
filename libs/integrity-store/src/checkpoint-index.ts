import type { Client } from '@elastic/elasticsearch';
import { assertWholeRefresh, WHOLE_ANSWER } from '@cairn/elasticsearch-store';
import type { QueryDslQueryContainer } from '@elastic/elasticsearch/lib/api/types';
import {
  isSignedCheckpoint,
  isSignedRetentionStatement,
  type SignedCheckpoint,
  type SignedRetentionStatement,
} from '@cairn/integrity';

/** Outside the monthly pattern: no event search reads it, and retention never deletes it. */
export function checkpointIndexName(prefix: string): string {
  return `${prefix}.checkpoints`;
}

const MAPPINGS = {
  dynamic: 'strict' as const,
  properties: {
    v: { type: 'integer' as const },
    chain: { type: 'keyword' as const },
    seq: { type: 'long' as const },
    head: { type: 'keyword' as const },
    at: { type: 'date' as const },
    previous: { type: 'keyword' as const },
    key: { type: 'keyword' as const },
    closed: { type: 'boolean' as const },
    // Retention statements (signed before retention deletes an index) live beside the checkpoints.
    through: { type: 'long' as const },
    index: { type: 'keyword' as const },
    digest: { type: 'keyword' as const },
    signature: { type: 'keyword' as const, index: false, doc_values: false },
  },
};

const PAGE = 5000;

/** What the index or the log holds: checkpoints, retention statements, and what is neither. */
export interface SignedStatements {
  readonly checkpoints: SignedCheckpoint[];
  readonly retention: SignedRetentionStatement[];
  readonly malformed: string[];
}

/** The signed checkpoints and retention statements in Elasticsearch, beside the copies in the checkpoint log. */
export class CheckpointIndex {
  readonly name: string;
  private installed?: Promise<void>;

  constructor(
    private readonly client: Client,
    indexPrefix: string,
  ) {
    this.name = checkpointIndexName(indexPrefix);
  }

  async install(): Promise<void> {
    if (await this.client.indices.exists({ index: this.name })) {
      // An index made by an older version: fields added since (closed) are added, nothing else changes.
      await this.client.indices.putMapping({ index: this.name, properties: MAPPINGS.properties });
      return;
    }
    try {
      await this.client.indices.create({ index: this.name, mappings: MAPPINGS });
    } catch (error) {
      const type = (error as { body?: { error?: { type?: string } } }).body?.error?.type;
      if (type !== 'resource_already_exists_exception') throw error;
    }
  }

  async write(checkpoint: SignedCheckpoint | SignedRetentionStatement): Promise<void> {
    // Installed before the first write, so the index never takes dynamic mappings (a writer may
    // start while Elasticsearch is away: the next write tries again).
    this.installed ??= this.install().catch((error: unknown) => {
      this.installed = undefined;
      throw error;
    });
    await this.installed;
    await this.client.create({ index: this.name, id: checkpoint.digest, document: checkpoint });
  }

  /** The newest checkpoint of a chain: the one the next names as previous. */
  async latest(chain: string): Promise<SignedCheckpoint | undefined> {
    assertWholeRefresh(
      await this.client.indices.refresh({ index: this.name, ignore_unavailable: true }),
      'reading checkpoints',
    );
    const page = await this.client.search<unknown>({
      index: this.name,
      query: { bool: { filter: [{ term: { chain } }], must_not: [{ exists: { field: 'through' } }] } },
      sort: [{ at: 'desc' }, { seq: 'desc' }],
      size: 1,
      ignore_unavailable: true,
      allow_no_indices: true,
      ...WHOLE_ANSWER,
    });
    const found = page.hits.hits[0]?._source;
    return isSignedCheckpoint(found) ? found : undefined;
  }

  /** The newest checkpoint of every chain whose name starts with `prefix` (the API's access chains). */
  async newestByChain(prefix: string): Promise<SignedCheckpoint[]> {
    assertWholeRefresh(
      await this.client.indices.refresh({ index: this.name, ignore_unavailable: true }),
      'reading checkpoints',
    );
    const response = await this.client.search({
      index: this.name,
      size: 0,
      ...WHOLE_ANSWER,
      query: {
        bool: { filter: [{ prefix: { chain: prefix } }], must_not: [{ exists: { field: 'through' } }] },
      },
      aggs: {
        chains: {
          terms: { field: 'chain', size: 10_000 },
          aggs: { newest: { top_hits: { size: 1, sort: [{ at: 'desc' }, { seq: 'desc' }] } } },
        },
      },
      ignore_unavailable: true,
      allow_no_indices: true,
    });
    const buckets =
      (
        response.aggregations?.chains as {
          buckets?: { newest: { hits: { hits: { _source?: unknown }[] } } }[];
        }
      )?.buckets ?? [];
    return buckets.map((bucket) => bucket.newest.hits.hits[0]?._source).filter(isSignedCheckpoint);
  }

  /** Checkpoints and retention statements signed up to `to` (all when open), in time order; anything of another shape is returned apart. */
  async read(to?: Date): Promise<SignedStatements> {
    const query: QueryDslQueryContainer = to
      ? { range: { at: { lte: to.toISOString() } } }
      : { match_all: {} };
    const checkpoints: SignedCheckpoint[] = [];
    const retention: SignedRetentionStatement[] = [];
    const malformed: string[] = [];
    if (!(await this.client.indices.exists({ index: this.name })))
      return { checkpoints, retention, malformed };
    await this.client.indices.refresh({ index: this.name });
    let after: (string | number)[] | undefined;
    for (;;) {
      const page = await this.client.search<unknown>({
        index: this.name,
        query,
        size: PAGE,
        sort: [{ at: 'asc' }, { digest: 'asc' }],
        ...WHOLE_ANSWER,
        ...(after ? { search_after: after } : {}),
      });
      const hits = page.hits.hits;
      for (const hit of hits) {
        if (isSignedCheckpoint(hit._source)) checkpoints.push(hit._source);
        else if (isSignedRetentionStatement(hit._source)) retention.push(hit._source);
        else malformed.push(hit._id ?? '');
      }
      if (hits.length < PAGE) break;
      after = hits[hits.length - 1].sort as (string | number)[];
    }
    return { checkpoints, retention, malformed };
  }
}
