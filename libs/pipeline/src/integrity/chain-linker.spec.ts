import type { AuditEventDocument } from '@cairn/event-schema';
import { GENESIS, nextLink, type ChainHead } from '@cairn/integrity';
import {
  NO_OBSERVER,
  type BatchContext,
  type ChainOperation,
  type PipelineObserver,
} from '../pipeline.types';
import type { StoreOutcome } from '../sinks/store.sink';
import { ChainLinker, type ChainStore, type LinkUpdate, type StoredCopy } from './chain-linker';

const context: BatchContext = {
  topic: 'raw',
  partition: 1,
  heartbeat: async () => undefined,
  isRunning: () => true,
  pause: () => () => undefined,
};

function event(offset: number, ingested = '2026-12-02T10:00:00.000Z'): AuditEventDocument {
  return {
    '@timestamp': '2026-12-02T09:59:00.000Z',
    event: { id: `e${offset}`, ingested },
    cairn: { position: { topic: 'raw', partition: 1, offset, item: 0 } },
  } as unknown as AuditEventDocument;
}

class MemoryChainStore implements ChainStore {
  readonly stored = new Map<string, StoredCopy>();
  readonly relinked: LinkUpdate[] = [];
  loads = 0;
  headBefore = async (): Promise<ChainHead> => {
    this.loads += 1;
    return GENESIS;
  };
  storedCopies = async (refs: readonly { id: string }[]) =>
    new Map(
      refs.flatMap((ref) => (this.stored.has(ref.id) ? [[ref.id, this.stored.get(ref.id)!] as const] : [])),
    );
  relink = async (updates: readonly LinkUpdate[]) => {
    this.relinked.push(...updates);
    for (const update of updates) {
      const copy = this.stored.get(update.id);
      if (copy) copy.document.cairn.integrity = update.link;
    }
  };
  /** Plays the store: every document is new unless one with its id was stored. */
  save(documents: readonly AuditEventDocument[]): StoreOutcome[] {
    return documents.map((document) => {
      if (this.stored.has(document.event.id)) return { status: 'duplicate', index: 'i' };
      this.stored.set(document.event.id, { index: 'i', document: structuredClone(document) });
      return { status: 'created', index: 'i' };
    });
  }
}

const must = async <T>(value: Promise<T | undefined>): Promise<T> => {
  const settled = await value;
  if (settled === undefined) throw new Error('abandoned');
  return settled;
};

const seqs = (documents: readonly AuditEventDocument[]) => documents.map((d) => d.cairn.integrity!.seq);

describe('the integrity chain step', () => {
  it('links each event to the one before it, across batches, loading the head only once', async () => {
    const store = new MemoryChainStore();
    const linker = new ChainLinker(store, { log: { warn: () => undefined } });
    const first = await must(linker.link([event(0), event(1)], context, '0'));
    const settled = await must(linker.settle(first, store.save(first.documents), '2', context));
    expect(seqs(settled.delivered)).toEqual([1, 2]);
    const second = await must(linker.link([event(2)], context, '2'));
    expect(second.documents[0].cairn.integrity).toMatchObject({ seq: 3, prev: settled.head.hash });
    await must(linker.settle(second, store.save(second.documents), '3', context));
    expect(store.loads).toBe(1);
    expect(store.relinked).toEqual([]);
    await must(linker.link([event(7)], context, '7'));
    expect(store.loads).toBe(2);
  });

  it('gives no position to an event that failed for good, and relinks the ones after it', async () => {
    const store = new MemoryChainStore();
    const linker = new ChainLinker(store, { log: { warn: () => undefined } });
    const batch = await must(linker.link([event(0), event(1), event(2)], context, '0'));
    const outcomes = store.save(batch.documents);
    outcomes[1] = { status: 'failed', attempts: 1, failure: { code: 'STORAGE_REJECTED', message: '400' } };
    store.stored.delete('e1');
    const settled = await must(linker.settle(batch, outcomes, '3', context));
    expect(seqs(settled.delivered)).toEqual([1, 2]);
    expect(store.relinked.map((u) => [u.id, u.link.seq])).toEqual([['e2', 2]]);
    expect(store.stored.get('e2')!.document.cairn.integrity!.prev).toBe(
      store.stored.get('e0')!.document.cairn.integrity!.hash,
    );
  });

  it("keeps a sender's retry (the same event at another offset) out of the chain", async () => {
    const store = new MemoryChainStore();
    const linker = new ChainLinker(store, { log: { warn: () => undefined } });
    const first = await must(linker.link([event(0)], context, '0'));
    await must(linker.settle(first, store.save(first.documents), '1', context));
    const retry = {
      ...event(1),
      event: { id: 'e0', ingested: '2026-12-02T10:00:05.000Z' },
    } as AuditEventDocument;
    const batch = await must(linker.link([retry, event(2)], context, '1'));
    const settled = await must(linker.settle(batch, store.save(batch.documents), '3', context));
    expect(settled.delivered.map((d) => [d.event.id, d.cairn.integrity!.seq])).toEqual([
      ['e0', 1],
      ['e2', 2],
    ]);
    expect(store.relinked.map((u) => u.id)).toEqual(['e2']);
  });

  it('a replay after a crash follows the stored copies, so the chain does not fork', async () => {
    const store = new MemoryChainStore();
    const before = new ChainLinker(store, { log: { warn: () => undefined } });
    const batch = await must(before.link([event(0), event(1)], context, '0'));
    // Stored, then the process died before committing: only e0 reached the store.
    store.save([batch.documents[0]]);
    const after = new ChainLinker(store, { log: { warn: () => undefined } });
    const replay = await must(
      after.link([event(0, '2026-12-02T10:05:00.000Z'), event(1, '2026-12-02T10:05:00.000Z')], context, '0'),
    );
    const settled = await must(after.settle(replay, store.save(replay.documents), '2', context));
    const e0 = store.stored.get('e0')!.document;
    expect(e0.event.ingested).toBe('2026-12-02T10:00:00.000Z');
    expect(settled.delivered[0]).toEqual(e0);
    expect(store.stored.get('e1')!.document.cairn.integrity).toEqual(
      nextLink('raw/1', e0.cairn.integrity!, store.stored.get('e1')!.document),
    );
    expect(store.stored.get('e1')!.document.cairn.integrity!.prev).toBe(e0.cairn.integrity!.hash);
  });

  it('after a rebalance trusts no head it held, not even one a batch in flight settles afterwards', async () => {
    const store = new MemoryChainStore();
    const linker = new ChainLinker(store, { log: { warn: () => undefined } });
    const first = await must(linker.link([event(0)], context, '0'));
    await must(linker.settle(first, store.save(first.documents), '1', context));
    const inFlight = await must(linker.link([event(1)], context, '1'));
    expect(store.loads).toBe(1);
    linker.forgetAll();
    expect(linker.headOf('raw/1')).toBeUndefined();
    await must(linker.settle(inFlight, store.save(inFlight.documents), '2', context));
    // Another process may have held the partition in between: its head comes from the commit again.
    expect(linker.headOf('raw/1')).toBeUndefined();
    await must(linker.link([event(2)], context, '2'));
    expect(store.loads).toBe(2);
  });

  it('waits for a store that is away, paused, and gives the batch up when the consumer stops', async () => {
    const store = new MemoryChainStore();
    let failures = 0;
    store.headBefore = () => {
      failures += 1;
      return Promise.reject(new Error('connect ECONNREFUSED'));
    };
    let running = true;
    let paused = 0;
    const stopping: BatchContext = {
      ...context,
      isRunning: () => running,
      pause: () => {
        paused += 1;
        return () => undefined;
      },
    };
    const pauses: number[] = [];
    const retries: ChainOperation[] = [];
    const observer: PipelineObserver = {
      ...NO_OBSERVER,
      onPause: (delta) => pauses.push(delta),
      onChainRetry: (operation) => retries.push(operation),
    };
    const linker = new ChainLinker(store, {
      log: { warn: () => undefined },
      observer,
      sleep: async () => {
        if (failures >= 3) running = false;
      },
    });
    expect(await linker.link([event(0)], stopping, '0')).toBeUndefined();
    expect(failures).toBe(3);
    expect(paused).toBe(1);
    // Shown like a bulk's wait: one paused partition while it lasts, each attempt after the first.
    expect(pauses).toEqual([1, -1]);
    expect(retries).toEqual(['head', 'head']);
  });
});
