import type { Admin } from 'kafkajs';
import { decodeChainProgress, type ChainHead } from '@cairn/integrity';
import type { ChainIndex } from '@cairn/integrity-store';
import type { ChainStore, LinkUpdate, StoredCopy } from '@cairn/pipeline';

/** Larger than any offset: "before the end" of a partition. */
const END = String(Number.MAX_SAFE_INTEGER);

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
  ) {}

  async headBefore(chain: string, topic: string, partition: number, offset: string): Promise<ChainHead> {
    const committed = await this.committed(topic, partition);
    if (committed?.offset === offset) {
      const head = decodeChainProgress(committed.metadata);
      if (head) return head;
    }
    return this.index.headBefore(chain, offset);
  }

  /** The head at the committed offset of a partition this process holds but has read nothing from yet. */
  async headAtCommit(chain: string, topic: string, partition: number): Promise<ChainHead> {
    const committed = await this.committed(topic, partition);
    const offset = committed && committed.offset !== '-1' ? committed.offset : END;
    return this.headBefore(chain, topic, partition, offset);
  }

  storedCopies(refs: readonly { id: string; index: string }[]): Promise<Map<string, StoredCopy>> {
    return this.index.storedCopies(refs);
  }

  relink(updates: readonly LinkUpdate[]): Promise<void> {
    return this.index.relink(updates);
  }

  private async committed(topic: string, partition: number) {
    const [offsets] = await this.admin.fetchOffsets({ groupId: this.group, topics: [topic] });
    return offsets?.partitions.find((entry) => entry.partition === partition);
  }
}
