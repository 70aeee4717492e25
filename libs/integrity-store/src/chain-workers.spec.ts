import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { errors } from '@elastic/elasticsearch';
import { searchFailureOf } from '@cairn/elasticsearch-store';
import type { ChainPlan, ChainRules } from './chain-scan';
import { ChainWorkerPool } from './chain-workers';

const SCRIPT = join(__dirname, 'chain-workers.fixture.js');
const elasticsearch = {
  url: 'http://127.0.0.1:1',
  nodes: ['http://127.0.0.1:1'],
  indexPrefix: 'cairn',
  replicas: 0,
  shards: 1,
  refreshInterval: '1s',
  requestTimeoutMs: 1000,
};
const rules: ChainRules = {
  indexPrefix: 'cairn',
  pageSize: 10,
  trustedKeys: new Map([['k1', generateKeyPairSync('ed25519').publicKey]]),
  maxGapMs: 1,
  coverToleranceMs: 1,
};
const plan = (chain: string, count = 1): ChainPlan => ({
  chain,
  inWindow: [],
  query: { match_all: {} },
  count,
  openEndIsGap: true,
});

describe('ChainWorkerPool', () => {
  let pool: ChainWorkerPool;
  beforeEach(() => (pool = new ChainWorkerPool(SCRIPT, { size: 2 }, { elasticsearch })));
  afterEach(() => pool.close());

  it('gives results in plan order, counts what the threads read, and shares the work between them', async () => {
    const plans = ['a', 'b', 'c', 'd', 'e', 'f'].map((chain, i) => plan(chain, i + 1));
    let read = 0;
    const results = await pool.verify(plans, rules, (events) => (read += events));
    expect(results.map((r) => r.summary.chain)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(read).toBe(21);
    const summaries = results.map((r) => r.summary as unknown as { thread: number; keys: number });
    expect(new Set(summaries.map((s) => s.thread)).size).toBe(2);
    // The trusted keys cross into the thread (KeyObjects are cloneable).
    expect(summaries.every((s) => s.keys === 1)).toBe(true);
  });

  it('keeps its threads from one verification to the next', async () => {
    const first = await pool.verify([plan('a'), plan('b')], rules, () => undefined);
    const second = await pool.verify([plan('c'), plan('d')], rules, () => undefined);
    const threads = (results: typeof first) =>
      new Set(results.map((r) => (r.summary as unknown as { thread: number }).thread));
    expect([...threads(second)].every((id) => threads(first).has(id))).toBe(true);
  });

  it('ends threads left idle, and starts new ones for the next verification', async () => {
    const idle = new ChainWorkerPool(
      SCRIPT,
      { size: 1, idleMs: 50, youngGenerationMb: 16 },
      { elasticsearch },
    );
    try {
      const thread = async () =>
        ((await idle.verify([plan('a')], rules, () => undefined))[0].summary as unknown as { thread: number })
          .thread;
      const first = await thread();
      expect(await thread()).toBe(first);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await thread()).not.toBe(first);
    } finally {
      await idle.close();
    }
  });

  it('fails as the store failed, so callers answer SEARCH_UNAVAILABLE as on their own thread', async () => {
    const unavailable = pool.verify([plan('a'), plan('fail:unavailable')], rules, () => undefined);
    await expect(unavailable).rejects.toBeInstanceOf(errors.ConnectionError);
    await expect(unavailable.catch(searchFailureOf)).resolves.toBe('unavailable');
    const timeout = pool.verify([plan('fail:timeout')], rules, () => undefined);
    await expect(timeout.catch(searchFailureOf)).resolves.toBe('timeout');
    const other = pool.verify([plan('fail:')], rules, () => undefined);
    await expect(other).rejects.toThrow('integrity verification thread: cannot read fail:');
    await expect(other.catch(searchFailureOf)).resolves.toBeUndefined();
    // And the next verification gets fresh threads.
    await expect(pool.verify([plan('a')], rules, () => undefined)).resolves.toHaveLength(1);
  });

  it('fails when a thread ends before its chain is verified', async () => {
    await expect(pool.verify([plan('exit')], rules, () => undefined)).rejects.toThrow(
      'integrity verification thread ended (exit code 3) before its chain was verified',
    );
  });
});
