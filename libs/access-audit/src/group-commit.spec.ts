import type { WriteResult } from '@cairn/elasticsearch-store';
import type { AuditEventDocument } from '@cairn/event-schema';
import { eventDigest, GENESIS, linkHash } from '@cairn/integrity';
import { GroupCommit, type AccessLinkUpdate } from './group-commit';

const CHAIN = 'cairn.access/api-1/20261202T100000Z-0a1b2c3d';

function record(n: number): AuditEventDocument {
  return {
    '@timestamp': '2026-12-02T10:00:00.000Z',
    event: { id: `r${n}`, ingested: '2026-12-02T10:00:00.000Z', action: 'cairn.query' },
    cairn: { source_kind: 'CAIRN', product: 'cairn', schema_version: '1' },
  } as unknown as AuditEventDocument;
}

const CREATED: WriteResult = { status: 'created', index: 'cairn-events-2026.12' };
const REJECTED: WriteResult = { status: 'rejected', httpStatus: 400, reason: 'mapper_parsing_exception' };

/** A store that answers each bulk with the next planned outcome (created for all when none is planned). */
class PlannedStore {
  readonly bulks: AuditEventDocument[][] = [];
  readonly relinked: AccessLinkUpdate[][] = [];
  readonly plans: ((documents: readonly AuditEventDocument[]) => WriteResult[])[] = [];
  /** Ids the store refuses. */
  readonly refused = new Set<string>();
  private gate?: Promise<void>;
  relinkFailures = 0;

  write = async (documents: readonly AuditEventDocument[]): Promise<WriteResult[]> => {
    this.bulks.push([...documents]);
    await this.gate;
    const plan = this.plans.shift();
    if (plan) return plan(documents);
    return documents.map((document) => (this.refused.has(document.event.id) ? REJECTED : CREATED));
  };

  /** Holds every bulk until released: what is submitted meanwhile waits for one bulk after it. */
  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.gate = undefined;
      release();
    };
  }

  options() {
    return {
      name: CHAIN,
      relink: async (updates: readonly AccessLinkUpdate[]) => {
        if (this.relinkFailures > 0) {
          this.relinkFailures -= 1;
          throw new Error('store away');
        }
        this.relinked.push([...updates]);
      },
    };
  }
}

const linkOf = (document: AuditEventDocument) => document.cairn.integrity!;

/** r1 stored alone, then records `numbers` in one second bulk, answered as `plan` says. */
async function withSecondBulk(
  numbers: readonly number[],
  plan: (documents: readonly AuditEventDocument[]) => WriteResult[],
) {
  const store = new PlannedStore();
  const commits = new GroupCommit(store.write, store.options());
  const release = store.hold();
  const first = commits.submit(record(1));
  store.plans.push(() => [CREATED], plan);
  const rest = Promise.allSettled(numbers.map((n) => commits.submit(record(n))));
  release();
  await first;
  return { store, commits, outcomes: await rest };
}

/** A chain whose first bulk (record r1) got no answer at all. */
async function afterALostBulk(message: string) {
  const store = new PlannedStore();
  const commits = new GroupCommit(store.write, store.options());
  store.plans.push(() => {
    throw new Error(message);
  });
  await expect(commits.submit(record(1))).rejects.toThrow(message);
  return { store, commits };
}

describe('group commit of access records', () => {
  it('records arriving while a bulk is out share the next one, each at the next chain position', async () => {
    const store = new PlannedStore();
    const commits = new GroupCommit(store.write, store.options());
    await Promise.all([1, 2, 3, 4, 5].map((n) => commits.submit(record(n))));
    expect(store.bulks.map((bulk) => bulk.length)).toEqual([1, 4]);
    const stored = store.bulks.flat();
    expect(stored.map((document) => linkOf(document).seq)).toEqual([1, 2, 3, 4, 5]);
    let head = GENESIS.hash;
    for (const document of stored) {
      expect(linkOf(document)).toMatchObject({ chain: CHAIN, prev: head });
      expect(linkOf(document).hash).toBe(linkHash(head, eventDigest(document)));
      head = linkOf(document).hash;
    }
    expect(commits.head).toEqual({ chain: CHAIN, head: { seq: 5, hash: head } });
  });

  it('without a chain it only groups: nothing is linked', async () => {
    const store = new PlannedStore();
    const commits = new GroupCommit(store.write);
    await Promise.all([1, 2].map((n) => commits.submit(record(n))));
    expect(store.bulks.flat().every((document) => document.cairn.integrity === undefined)).toBe(true);
    expect(commits.head).toBeUndefined();
  });

  it('a record the store refused takes no position: the stored ones are re-linked before anyone is answered', async () => {
    const store = new PlannedStore();
    const commits = new GroupCommit(store.write, store.options());
    const release = store.hold();
    const first = commits.submit(record(1));
    store.refused.add('r3');
    const rest = Promise.allSettled([2, 3, 4].map((n) => commits.submit(record(n))));
    release();
    await first;
    const outcomes = await rest;
    expect(store.bulks.map((bulk) => bulk.length)).toEqual([1, 3]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toBe(
      'access record not stored: 400 mapper_parsing_exception',
    );
    // r2 kept the link it was written with; r4 moves up into r3's place.
    const [updates] = store.relinked;
    expect(updates.map((update) => [update.id, update.link.seq])).toEqual([['r4', 3]]);
    expect(updates[0].link.prev).toBe(linkOf(store.bulks[1][0]).hash);
    expect(commits.head!.head).toEqual({ seq: 3, hash: updates[0].link.hash });
    await commits.submit(record(5));
    expect(linkOf(store.bulks.at(-1)![0])).toMatchObject({ seq: 4, prev: updates[0].link.hash });
  });

  it('after a bulk with no answer its records go again as written, and one that landed late keeps its position', async () => {
    const { store, commits } = await afterALostBulk('socket hang up');
    // Elasticsearch held the first bulk and stored r1 after all: the re-send meets it (409).
    store.plans.push(() => [{ status: 'duplicate', index: 'cairn-events-2026.12' }]);
    await commits.submit(record(2));
    expect(store.bulks.map((bulk) => bulk.map((document) => document.event.id))).toEqual([
      ['r1'],
      ['r1'],
      ['r2'],
    ]);
    expect(linkOf(store.bulks[1][0])).toEqual(linkOf(store.bulks[0][0]));
    // r2 follows r1: no two records ever share a position.
    expect(linkOf(store.bulks[2][0])).toMatchObject({ seq: 2, prev: linkOf(store.bulks[0][0]).hash });
    expect(store.relinked).toEqual([]);
    await commits.submit(record(3));
    expect(store.bulks).toHaveLength(4);
  });

  it('while the re-sent records are still of unknown fate, new records are refused unwritten and unlinked', async () => {
    const { store, commits } = await afterALostBulk('Request timed out');
    store.plans.push(() => [
      { status: 'retryable', httpStatus: 503, reason: 'unavailable_shards_exception' },
    ]);
    await expect(commits.submit(record(2))).rejects.toThrow(/unknown fate: 503 unavailable_shards_exception/);
    expect(store.bulks.flat().map((document) => document.event.id)).toEqual(['r1', 'r1']);
    expect(commits.head!.head).toEqual(GENESIS);
    // Once the store answers again, r1 is found stored (created by the re-send) and r3 follows it.
    await commits.submit(record(3));
    expect(store.bulks.map((bulk) => bulk[0].event.id)).toEqual(['r1', 'r1', 'r1', 'r3']);
    expect(linkOf(store.bulks[3][0])).toMatchObject({ seq: 2, prev: linkOf(store.bulks[0][0]).hash });
  });

  it('a re-sent record refused for good gives up its position: the stored ones after it are re-linked', async () => {
    const { store, commits, outcomes } = await withSecondBulk([2, 3], () => {
      throw new Error('socket hang up');
    });
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    store.plans.push(() => [REJECTED, { status: 'duplicate', index: 'cairn-events-2026.12' }]);
    await commits.submit(record(4));
    const [updates] = store.relinked;
    expect(updates.map((update) => [update.id, update.link.seq])).toEqual([['r3', 2]]);
    expect(updates[0].link.prev).toBe(linkOf(store.bulks[0][0]).hash);
    expect(linkOf(store.bulks.at(-1)![0])).toMatchObject({ seq: 3, prev: updates[0].link.hash });
  });

  it('a record refused with a 5xx may be stored all the same: its position waits until a re-send says so (cluster suite, 502 node_not_connected)', async () => {
    const NOT_CONNECTED: WriteResult = {
      status: 'retryable',
      httpStatus: 502,
      reason: 'node_not_connected_exception: connection already closed',
    };
    const { store, commits, outcomes } = await withSecondBulk([2, 3], () => [NOT_CONNECTED, CREATED]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'fulfilled']);
    // The primary had stored r2 before it died: the re-send meets it on the promoted replica (409).
    const STORED_BEFORE: WriteResult = { status: 'duplicate', index: 'cairn-events-2026.12' };
    store.plans.push(() => [STORED_BEFORE, STORED_BEFORE]);
    await commits.submit(record(4));
    expect(store.bulks.map((bulk) => bulk.map((document) => document.event.id))).toEqual([
      ['r1'],
      ['r2', 'r3'],
      ['r2', 'r3'],
      ['r4'],
    ]);
    // r2 and r3 keep the positions they were written with; r4 follows them, sharing none.
    expect(store.relinked).toEqual([]);
    expect(linkOf(store.bulks[2][0])).toEqual(linkOf(store.bulks[1][0]));
    expect(linkOf(store.bulks[3][0])).toMatchObject({ seq: 4, prev: linkOf(store.bulks[1][1]).hash });
  });

  it('a record refused with a 5xx and not stored after all gives up its position on the re-send', async () => {
    const UNAVAILABLE: WriteResult = {
      status: 'retryable',
      httpStatus: 503,
      reason: 'unavailable_shards_exception',
    };
    const { store, commits } = await withSecondBulk([2, 3], () => [UNAVAILABLE, CREATED]);
    store.plans.push(
      () => [REJECTED, { status: 'duplicate', index: 'cairn-events-2026.12' }],
      () => [CREATED],
    );
    await commits.submit(record(4));
    const [updates] = store.relinked;
    expect(updates.map((update) => [update.id, update.link.seq])).toEqual([['r3', 2]]);
    expect(linkOf(store.bulks.at(-1)![0])).toMatchObject({ seq: 3, prev: updates[0].link.hash });
  });

  it('a conflict in a bulk is the record itself (Elasticsearch retried it on a promoted replica): it keeps its position', async () => {
    const { store, commits, outcomes } = await withSecondBulk([2, 3, 4], () => [
      CREATED,
      { status: 'duplicate', index: 'cairn-events-2026.12' },
      CREATED,
    ]);
    expect(outcomes.every((outcome) => outcome.status === 'fulfilled')).toBe(true);
    expect(store.relinked).toEqual([]);
    expect(commits.head!.head).toEqual({ seq: 4, hash: linkOf(store.bulks[1][2]).hash });
    await commits.submit(record(5));
    expect(linkOf(store.bulks.at(-1)![0])).toMatchObject({ seq: 5, prev: linkOf(store.bulks[1][2]).hash });
  });

  it('a correction that keeps failing leaves the links as written, says so, and the chain goes on after them', async () => {
    const store = new PlannedStore();
    const errors: string[] = [];
    const commits = new GroupCommit(store.write, store.options(), {
      error: (_, message) => errors.push(message),
    });
    const release = store.hold();
    const first = commits.submit(record(1));
    store.refused.add('r2');
    store.relinkFailures = 3;
    const rest = Promise.allSettled([commits.submit(record(2)), commits.submit(record(3))]);
    release();
    await first;
    const outcomes = await rest;
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'fulfilled']);
    expect(errors).toEqual([expect.stringMatching(/positions of the refused records as missing/)]);
    expect(commits.head!.head.seq).toBe(3);
  });

  describe('records no answer waits on (outcomes)', () => {
    afterEach(() => jest.useRealTimers());

    it('ride with the next record someone waits on, in one bulk, in the order submitted', async () => {
      const store = new PlannedStore();
      const commits = new GroupCommit(store.write, store.options());
      const outcome = commits.submitLingering(record(1));
      await Promise.resolve();
      expect(store.bulks).toEqual([]);
      await commits.submit(record(2));
      await outcome;
      expect(store.bulks.map((bulk) => bulk.map((document) => document.event.id))).toEqual([['r1', 'r2']]);
      expect(store.bulks[0].map((document) => linkOf(document).seq)).toEqual([1, 2]);
    });

    it('go alone after a moment when nothing else comes, and a later one waits for its own moment', async () => {
      jest.useFakeTimers();
      const store = new PlannedStore();
      const commits = new GroupCommit(store.write, store.options());
      const first = commits.submitLingering(record(1));
      await jest.advanceTimersByTimeAsync(150);
      expect(store.bulks).toHaveLength(0);
      await jest.advanceTimersByTimeAsync(100);
      await first;
      expect(store.bulks.map((bulk) => bulk.length)).toEqual([1]);
      const second = commits.submitLingering(record(2));
      await jest.advanceTimersByTimeAsync(150);
      expect(store.bulks).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(100);
      await second;
      expect(store.bulks.map((bulk) => bulk.length)).toEqual([1, 1]);
    });

    it('do not hold a bulk out after one someone waited on: they wait for their moment or for company', async () => {
      jest.useFakeTimers();
      const store = new PlannedStore();
      const commits = new GroupCommit(store.write, store.options());
      const release = store.hold();
      const first = commits.submit(record(1));
      const outcome = commits.submitLingering(record(2));
      release();
      await first;
      await jest.advanceTimersByTimeAsync(10);
      expect(store.bulks).toHaveLength(1);
      const next = commits.submit(record(3));
      await jest.advanceTimersByTimeAsync(0);
      await Promise.all([outcome, next]);
      expect(store.bulks.map((bulk) => bulk.map((document) => document.event.id))).toEqual([
        ['r1'],
        ['r2', 'r3'],
      ]);
    });

    it('are written at once when the process drains, and a refusal reaches their promise', async () => {
      const store = new PlannedStore();
      const commits = new GroupCommit(store.write, store.options());
      store.refused.add('r2');
      const outcomes = Promise.allSettled([
        commits.submitLingering(record(1)),
        commits.submitLingering(record(2)),
      ]);
      await commits.drain();
      expect(store.bulks.map((bulk) => bulk.length)).toEqual([2]);
      expect((await outcomes).map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected']);
    });
  });
});
