import type { Admin } from 'kafkajs';
import { decodeChainProgress, type ChainHead } from '@cairn/integrity';
import type { ChainIndex } from '@cairn/integrity-store';
import type { ChainStore, LinkUpdate, StoredCopy } from '@cairn/pipeline';

/** Where a head came from, logged: a fork is traced back through these lines. */
export interface ChainHeadLog {
  info(fields: object, message: string): void;
}

const shortHash = (hash: string) => hash.slice(0, 12);

/**
 * Chain heads from where the work was committed: the consumer group's commit for the partition
 * carries the head it ends at (offset metadata), exact and independent of Elasticsearch's refresh;
 * without one (a group from before chains, another tool's commit) the store is asked.
 */
export class CommittedChainStore implements ChainStore {
  constructor(
    private readonly admin: Admin,
    private readonly group: string,
    private readonly index: ChainIndex,
    private readonly log?: ChainHeadLog,
  ) {}

  async headBefore(chain: string, topic: string, partition: number, offset: string): Promise<ChainHead> {
    const committed = await this.committed(topic, partition);
    if (committed?.offset === offset) {
      const head = decodeChainProgress(committed.metadata);
      if (head) {
        this.log?.info(
          { chain, offset, seq: head.seq, hash: shortHash(head.hash), from: 'commit' },
          'chain head read',
        );
        return head;
      }
    }
    const head = await this.index.headBefore(chain, offset);
    this.log?.info(
      {
        chain,
        offset,
        committed: committed?.offset,
        seq: head.seq,
        hash: shortHash(head.hash),
        from: 'index',
      },
      'chain head read',
    );
    return head;
  }

  /**
   * The settled head at the committed offset, for a checkpoint of a partition this process holds
   * but has settled nothing of yet; undefined when it cannot be known without a guess. The store
   * beyond the commit is never read: a chunk in flight (here or in the process that held the
   * partition a moment ago) has stored links that its settling may still rewrite, and a checkpoint
   * signed over one of those forks the chain.
   */
  async headAtCommit(chain: string, topic: string, partition: number): Promise<ChainHead | undefined> {
    const committed = await this.committed(topic, partition);
    if (committed && committed.offset !== '-1')
      return this.headBefore(chain, topic, partition, committed.offset);
    // Nothing committed: the chain is empty unless a chunk is in flight; only an empty one is signed.
    const stored = await this.index.storedHead(chain);
    return stored.seq === 0 ? stored : undefined;
  }

  storedCopies(refs: readonly { id: string; index: string }[]): Promise<Map<string, StoredCopy>> {
    return this.index.storedCopies(refs);
  }

  async relink(updates: readonly LinkUpdate[]): Promise<void> {
    await this.index.relink(updates);
    const seqs = updates.map((update) => update.link.seq);
    this.log?.info(
      {
        chain: updates[0]?.link.chain,
        links: updates.length,
        fromSeq: Math.min(...seqs),
        toSeq: Math.max(...seqs),
      },
      'chain links corrected',
    );
  }

  private async committed(topic: string, partition: number) {
    const [offsets] = await this.admin.fetchOffsets({ groupId: this.group, topics: [topic] });
    return offsets?.partitions.find((entry) => entry.partition === partition);
  }
}
