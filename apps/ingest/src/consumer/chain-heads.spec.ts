import type { Admin } from 'kafkajs';
import { encodeChainProgress, GENESIS, type ChainHead } from '@cairn/integrity';
import type { ChainIndex } from '@cairn/integrity-store';
import { CommittedChainStore } from './chain-heads';

const CHAIN = 'raw/0';
const stored: ChainHead = { seq: 82, hash: 'b'.repeat(64) };
const committedHead: ChainHead = { seq: 75, hash: 'c'.repeat(64) };

/** The group's commit for partition 0 of `raw`, and a store whose chain already holds links. */
function heads(commit: { offset: string; metadata: string | null }, storeHead: ChainHead = stored) {
  const asked: string[] = [];
  const admin = {
    fetchOffsets: async () => [{ topic: 'raw', partitions: [{ partition: 0, ...commit }] }],
  } as unknown as Admin;
  const index = {
    headBefore: async (_chain: string, offset: string) => {
      asked.push(`before ${offset}`);
      return storeHead;
    },
    storedHead: async () => {
      asked.push('stored');
      return storeHead;
    },
  } as unknown as ChainIndex;
  return { store: new CommittedChainStore(admin, 'group', index), asked };
}

describe('chain heads for a checkpoint of a partition with nothing settled here yet', () => {
  it('signs the head the commit carries, without reading the store', async () => {
    const { store, asked } = heads({ offset: '76', metadata: encodeChainProgress(committedHead) });
    expect(await store.headAtCommit(CHAIN, 'raw', 0)).toEqual(committedHead);
    expect(asked).toEqual([]);
  });

  it('reads the store only before the committed offset when the commit carries no head', async () => {
    const { store, asked } = heads({ offset: '76', metadata: null });
    expect(await store.headAtCommit(CHAIN, 'raw', 0)).toEqual(stored);
    expect(asked).toEqual(['before 76']);
  });

  it('signs nothing when nothing is committed but links are stored: a chunk is in flight, unsettled', async () => {
    const { store } = heads({ offset: '-1', metadata: null });
    expect(await store.headAtCommit(CHAIN, 'raw', 0)).toBeUndefined();
  });

  it('signs the empty chain when nothing is committed and nothing stored', async () => {
    const { store } = heads({ offset: '-1', metadata: null }, GENESIS);
    expect(await store.headAtCommit(CHAIN, 'raw', 0)).toEqual(GENESIS);
  });
});
