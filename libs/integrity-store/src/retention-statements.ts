import type { Client } from '@elastic/elasticsearch';
import { WHOLE_ANSWER } from '@cairn/elasticsearch-store';
import { signRetention, type SignedRetentionStatement, type SigningKey } from '@cairn/integrity';
import type { CheckpointIndex } from './checkpoint-index';
import type { CheckpointLog } from './checkpoint-log';

export interface RetentionStatementsOptions {
  readonly client: Client;
  readonly index: CheckpointIndex;
  readonly log: CheckpointLog;
  readonly key: SigningKey;
  readonly now?: () => Date;
}

interface ChainBucket {
  readonly key: string;
  readonly through: { readonly value: number | null };
}

/**
 * Before retention deletes a monthly index, signs for each chain with events in it that its
 * positions up to the highest there may be gone, and writes that to the checkpoint log first and
 * then the index, as checkpoints are. A verification afterwards counts those positions as removed
 * instead of reporting them missing for ever; a statement that cannot be written stops the delete.
 */
export class RetentionStatements {
  constructor(private readonly options: RetentionStatementsOptions) {}

  async sign(monthlyIndex: string): Promise<SignedRetentionStatement[]> {
    const { client, index, log, key } = this.options;
    const response = await client.search({
      index: monthlyIndex,
      size: 0,
      // A statement signed over some shards' chains would under-state what was deleted.
      ...WHOLE_ANSWER,
      aggs: {
        chains: {
          terms: { field: 'cairn.integrity.chain', size: 10_000 },
          aggs: { through: { max: { field: 'cairn.integrity.seq' } } },
        },
      },
      // Another process's retention may have deleted it a moment ago: then there is nothing to state.
      ignore_unavailable: true,
      allow_no_indices: true,
    });
    const buckets = (response.aggregations?.chains as { buckets?: ChainBucket[] } | undefined)?.buckets ?? [];
    const at = this.options.now?.() ?? new Date();
    const statements = buckets
      .filter((bucket) => bucket.through.value !== null)
      .map((bucket) => signRetention(key, bucket.key, bucket.through.value!, monthlyIndex, at));
    for (const statement of statements) {
      await log.appendRetention(statement);
      await index.write(statement);
    }
    return statements;
  }
}
