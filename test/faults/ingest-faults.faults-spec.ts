import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectOrderlyStop } from '../support/app-process';
import { codesOf, FaultRun, RssSampler, sleep, type Verdict } from '../support/fault-run';
import { REPO, stackCommand } from '../support/local-stack';
import {
  badFixtureMessages,
  largeValidEvent,
  mappingConflictEvent,
  mixedEvents,
  oversizedMessage,
  type WorkloadMessage,
} from '../support/workload';

/**
 * Ingest under faults, against the real Kafka and Elasticsearch: each case paces a known workload
 * in (N >= 20,000 valid messages of every source, plus bad ones), injects one fault mid-stream and
 * then accounts for every message exactly: each valid event stored once under its id, each bad
 * message dead-lettered once (counted by source position), nothing else.
 */
const N = Number(process.env.CAIRN_FAULTS_EVENTS ?? 20_000);
const RATE = Number(process.env.CAIRN_FAULTS_RATE ?? 2_000); // messages/s: the stream lasts N/RATE s
// A month no other workload event falls in, and recent enough for ingest to accept (it refuses
// events older than retention + 30 days).
const CONFLICT_MONTH = (() => {
  const date = new Date();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() - 6);
  return date.toISOString().slice(0, 7);
})();
const report: Record<string, unknown> = {};

let good: WorkloadMessage[];
let bad: WorkloadMessage[];

/** Bad messages spread over the stream's first `span` messages, one every `every`. */
function interleave(valid: readonly WorkloadMessage[], invalid: readonly WorkloadMessage[], every: number) {
  const stream: WorkloadMessage[] = [];
  let next = 0;
  valid.forEach((message, index) => {
    if (index % every === 0 && next < invalid.length) stream.push(invalid[next++]);
    stream.push(message);
  });
  stream.push(...invalid.slice(next));
  return stream;
}

async function settle(run: FaultRun, valid: readonly WorkloadMessage[]) {
  await run.waitUntilDrained();
  return run.verify(valid);
}

function expectExact(verdict: Verdict, invalid: readonly WorkloadMessage[]) {
  expect(verdict.missing).toEqual([]);
  expect(verdict.unexpected).toEqual([]);
  expect(verdict.duplicated).toEqual([]);
  expect(verdict.storedDocuments).toBe(verdict.expectedIds);
  expect(verdict.deadLetterMessages).toBe(invalid.length);
  expect(verdict.deadLetterCodes).toEqual(codesOf(invalid));
}

function summary(verdict: Verdict, extra: Record<string, unknown> = {}) {
  const { missing, unexpected, duplicated, ...counts } = verdict;
  return {
    ...counts,
    missing: missing.length,
    unexpected: unexpected.length,
    duplicated: duplicated.length,
    ...extra,
  };
}

beforeAll(() => {
  good = mixedEvents(N);
  bad = [...badFixtureMessages(), mappingConflictEvent(CONFLICT_MONTH), oversizedMessage(5 * 1024 * 1024)];
});

afterAll(() => {
  const dir = join(REPO, '.cairn', 'reports');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'faults.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`fault suite (N=${N} messages, ${RATE}/s): ${JSON.stringify(report)}`);
});

/** A run with the first ingest up and the mapping-conflict index in place. */
async function begin(label: string, env: Record<string, string> = {}) {
  const run = new FaultRun(label, env);
  await run.begin();
  await run.createConflictingIndex(CONFLICT_MONTH);
  return run;
}

describe('ingest under faults', () => {
  it('loses and duplicates nothing when the ingest process is killed -9 three times mid-stream', async () => {
    const run = await begin('kill9');
    try {
      const stream = interleave(good, bad, 100);
      const producing = run.produce(stream, RATE);
      const started = Date.now();
      const storedAtKill: number[] = [];
      for (const at of [0.25, 0.5, 0.75]) {
        await sleep(Math.max(0, started + (N / RATE) * 1000 * at - Date.now()));
        const victim = run.ingests[run.ingests.length - 1];
        storedAtKill.push(await run.storedCount());
        victim.process.kill('SIGKILL');
        await new Promise((resolve) => victim.process.once('exit', resolve));
        await run.startIngest();
      }
      await producing;
      const verdict = await settle(run, good);
      report.kill9 = summary(verdict, { storedAtKill });
      // Each kill landed mid-stream: some events were stored, not all.
      for (const count of storedAtKill) expect(count).toBeLessThan(verdict.expectedIds);
      expect(storedAtKill[2]).toBeGreaterThan(0);
      expectExact(verdict, bad);
    } finally {
      await run.end();
    }
  });

  it('pauses while Elasticsearch is down for 30 s, keeps memory flat, stops cleanly, and resumes by itself', async () => {
    const run = await begin('es-down');
    const sampler = new RssSampler(() => run.ingests[run.ingests.length - 1]?.process.pid);
    try {
      const stream = interleave(good, bad, 100);
      const producing = run.produce(stream, RATE);
      await sleep(3000);
      const storedBefore = await run.storedCount();
      sampler.phase = 'outage';
      await stackCommand('stop-elasticsearch');
      const outageStarted = Date.now();
      await sleep(20_000);
      // SIGTERM while a batch waits on Elasticsearch: abandoned uncommitted, process ends promptly.
      const first = run.ingests[0];
      const stopStarted = Date.now();
      const ended = await first.stop();
      const stopMs = Date.now() - stopStarted;
      expectOrderlyStop(ended);
      sampler.phase = 'outage, second process';
      await run.startIngest();
      await sleep(Math.max(0, 30_000 - (Date.now() - outageStarted)));
      await stackCommand('start');
      sampler.phase = 'recovery';
      await producing;
      const verdict = await settle(run, good);
      sampler.stop();
      report.elasticsearchDown = summary(verdict, {
        storedBefore,
        sigtermStopMs: stopMs,
        peakRssMib: sampler.peaks,
      });
      expect(storedBefore).toBeGreaterThan(0);
      expect(stopMs).toBeLessThan(10_000);
      expect(sampler.peaks.outage).toBeLessThan(300);
      expectExact(verdict, bad);
    } finally {
      sampler.stop();
      await stackCommand('start');
      await run.end();
    }
  });

  it('recovers by itself when the Kafka broker restarts mid-stream', async () => {
    const run = await begin('kafka-restart');
    try {
      // Bad messages go in first: our own producer may resend a chunk across the restart.
      const stream = [...bad, ...good];
      const producing = run.produce(stream, RATE);
      await sleep(3000);
      const storedBefore = await run.storedCount();
      await stackCommand('stop-kafka');
      await sleep(5000);
      await stackCommand('start');
      await producing;
      const verdict = await settle(run, good);
      report.kafkaRestart = summary(verdict, { storedBefore });
      expect(storedBefore).toBeGreaterThan(0);
      expectExact(verdict, bad);
    } finally {
      await stackCommand('start');
      await run.end();
    }
  });

  it('stays exact while a second ingest process joins mid-stream and then leaves', async () => {
    const run = await begin('rebalance');
    try {
      const producing = run.produce(interleave(good, bad, 100), RATE);
      await sleep((N / RATE) * 250);
      const second = await run.startIngest();
      await sleep((N / RATE) * 350);
      expectOrderlyStop(await second.stop());
      await producing;
      const verdict = await settle(run, good);
      report.rebalance = summary(verdict);
      expectExact(verdict, bad);
    } finally {
      await run.end();
    }
  });

  it('dead-letters every kind of bad input interleaved with good, including a mapping conflict and a 5 MiB message', async () => {
    const run = await begin('bad-input');
    try {
      const now = Date.now();
      const large = [
        largeValidEvent(1_500_000, 1, now - 60_000),
        largeValidEvent(1_200_000, 2, now - 50_000),
      ];
      // Many copies of each bad class, spread over the whole stream.
      const invalid = Array.from({ length: 8 }, () => bad).flat();
      const valid = [...good, ...large];
      const stream = interleave([...large, ...good], invalid, Math.floor(N / invalid.length));
      await run.produce(stream, RATE);
      const verdict = await settle(run, valid);
      report.badInput = summary(verdict);
      expectExact(verdict, invalid);
    } finally {
      await run.end();
    }
  });

  it('stores nothing twice when a new group replays the topics from offset zero', async () => {
    const run = await begin('replay');
    try {
      await run.produce(interleave(good, bad, 100), RATE * 5);
      await run.waitUntilDrained();
      const before = (await run.verify(good)).storedDocuments;
      const replayGroup = `${run.names.group}-replay`;
      await run.startIngest({ KAFKA_CONSUMER_GROUP: replayGroup });
      await run.waitUntilDrained(replayGroup);
      const verdict = await run.verify(good);
      report.replay = summary(verdict, { storedBeforeReplay: before });
      expect(verdict.storedDocuments).toBe(before);
      expectExact(verdict, bad);
      // The replay dead-letters the bad messages again: same source positions, so still counted once.
      expect(verdict.deadLetterRecords).toBe(2 * bad.length);
    } finally {
      await run.end();
    }
  });
});
