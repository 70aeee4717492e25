import type { Client } from '@elastic/elasticsearch';
import type { QueryDslQueryContainer } from '@elastic/elasticsearch/lib/api/types';
import type { AuditEventDocument } from '@cairn/event-schema';
import { assertWholeRefresh, foundDocuments, readAlias, WHOLE_ANSWER } from '@cairn/elasticsearch-store';
import { GENESIS, type ChainHead } from '@cairn/integrity';
import type { LinkUpdate, StoredCopy } from '@cairn/pipeline';

/** The chains as stored in the event indices: read back, and corrected by ingest when it settles a batch. */
export class ChainIndex {
  constructor(
    private readonly client: Client,
    private readonly indexPrefix: string,
  ) {}

  /**
   * The last link stored for `chain` from a message before `offset`, after a refresh so events
   * written a moment ago count: the head when the consumer group's commits carry none.
   */
  headBefore(chain: string, offset: string): Promise<ChainHead> {
    return this.lastLink([
      { term: { 'cairn.integrity.chain': chain } },
      { range: { 'cairn.position.offset': { lt: Number(offset) } } },
    ]);
  }

  /** The last link stored for `chain`, after a refresh: the API's access chain after a bulk with no answer. */
  storedHead(chain: string): Promise<ChainHead> {
    return this.lastLink([{ term: { 'cairn.integrity.chain': chain } }]);
  }

  private async lastLink(filter: QueryDslQueryContainer[]): Promise<ChainHead> {
    const index = readAlias(this.indexPrefix);
    const refreshed = await this.client.indices.refresh({
      index,
      ignore_unavailable: true,
      allow_no_indices: true,
    });
    assertWholeRefresh(refreshed, 'reading a chain head');
    const query: QueryDslQueryContainer = { bool: { filter } };
    const page = await this.client.search<AuditEventDocument>({
      index,
      query,
      size: 1,
      sort: [{ 'cairn.integrity.seq': 'desc' }],
      _source: ['cairn.integrity'],
      ignore_unavailable: true,
      allow_no_indices: true,
      // A head read from some shards only is an older link: chaining after it forks the chain.
      ...WHOLE_ANSWER,
    });
    const link = page.hits.hits[0]?._source?.cairn?.integrity;
    return link ? { seq: link.seq, hash: link.hash } : GENESIS;
  }

  /** Real-time reads (mget) of stored copies, by event id. */
  async storedCopies(refs: readonly { id: string; index: string }[]): Promise<Map<string, StoredCopy>> {
    const copies = new Map<string, StoredCopy>();
    const wanted = refs.filter((ref) => ref.index !== '');
    if (wanted.length === 0) return copies;
    const response = await this.client.mget<AuditEventDocument>({
      docs: wanted.map((ref) => ({ _index: ref.index, _id: ref.id })),
    });
    for (const doc of foundDocuments<AuditEventDocument>(response.docs, 'reading stored copies'))
      copies.set(doc._id, { index: doc._index, document: doc._source! });
    return copies;
  }

  /** Partial updates of cairn.integrity only; every item must succeed, or the batch is not committed. */
  async relink(updates: readonly LinkUpdate[]): Promise<void> {
    const response = await this.client.bulk({
      operations: updates.flatMap((update) => [
        { update: { _index: update.index, _id: update.id } },
        { doc: { cairn: { integrity: update.link } } },
      ]),
      filter_path: ['errors', 'items.*.status', 'items.*.error.reason'],
    });
    if (!response.errors) return;
    const failed = response.items.filter((item) => (item.update?.status ?? 500) >= 300);
    throw new Error(
      `${failed.length} of ${updates.length} chain links could not be corrected: ${failed[0]?.update?.error?.reason ?? 'unknown'}`,
    );
  }
}
