import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectOrderlyStop } from '../support/app-process';
import { codesOf, expectExact, FaultRun, interleave, sleep, type Verdict } from '../support/fault-run';
import { MetricsWatcher, RssSampler } from '../support/process-samplers';
import { eventually, REPO, stackCommand } from '../support/local-stack';
import {
  badFixtureMessages,
  largeValidEvent,
  mappingConflictEvent,
  mixedEvents,
  normalizerBugEvent,
  overlongActionEvent,
  oversizedMessage,
  type WorkloadMessage,
} from '../support/workload';

/**
 * Ingest under faults, against the real Kafka and Elasticsearch: each case paces a known workload
 * in (N >= 20,000 valid messages of every source, plus bad ones), injects one fault mid-stream and
 * then accounts for every message exactly: each valid event stored once under its id, each bad
 * message dead-lettered (counted by source position, and as records: once where no fault can make
 * a message be read twice), nothing else. Every ingest process stays under the memory bound.
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
// Ingest runs with a 256 MiB heap cap; RSS adds code, buffers and native memory on top.
const RSS_LIMIT_MIB = 300;
// README: SIGTERM abandons the chunk in hand within a quarter second, even mid-backoff.
const SIGTERM_ABANDON_MS = 250;
// Shorter than the default, so the freeze case's wait for the group to drop a member stays short.
const FREEZE_SESSION_MS = 10_000;

let good: WorkloadMessage[];
let bad: WorkloadMessage[];

async function settle(run: FaultRun, valid: readonly WorkloadMessage[]) {
  await run.waitUntilDrained();
  return run.verify(valid);
}

/**
 * Every sampled process's peak RSS, in every phase, under the bound; the last process (the one
 * that drains the stream) must have been sampled. A process killed right after it started (a
 * busy machine starts them slowly) may end before its first sample.
 */
function expectMemoryBounded(sampler: RssSampler, processes: number) {
  expect(sampler.processPeaks.length).toBe(processes);
  expect(sampler.processPeaks[processes - 1]).toBeGreaterThan(0);
  for (const peak of [
    ...sampler.processPeaks.filter((value) => value !== undefined),
    ...Object.values(sampler.peaks),
  ]) {
    expect(peak).toBeLessThan(RSS_LIMIT_MIB);
  }
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
  bad = [
    ...badFixtureMessages(),
    mappingConflictEvent(CONFLICT_MONTH),
    oversizedMessage(5 * 1024 * 1024),
    overlongActionEvent(Date.now() - 60_000),
    normalizerBugEvent(Date.now() - 60_000),
  ];
  // Every code ingest can give a message is among them.
  expect(Object.keys(codesOf(bad)).sort()).toEqual(
    expect.arrayContaining(['INVALID_NORMALIZED_EVENT', 'NORMALIZER_FAILURE', 'ELASTICSEARCH_REJECTED']),
  );
});

afterAll(() => {
  const dir = join(REPO, '.cairn', 'reports');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'faults.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`fault suite (N=${N} messages, ${RATE}/s): ${JSON.stringify(report)}`);
});

/** Each ingest process's output, under .cairn/reports/<run>/, for reading after a failed case. */
function keepLogs(run: FaultRun) {
  const dir = join(REPO, '.cairn', 'reports', run.names.id);
  mkdirSync(dir, { recursive: true });
  run.ingests.forEach((app, i) => writeFileSync(join(dir, `ingest-${i}.log`), app.output()));
}

/** A run with the first ingest up, the mapping-conflict index in place, and memory sampled. */
async function begin(label: string, env: Record<string, string> = {}) {
  const run = new FaultRun(label, env);
  await run.begin();
  await run.createConflictingIndex(CONFLICT_MONTH);
  const sampler = new RssSampler(() => run.ingests.map((app) => app.process.pid));
  return { run, sampler };
}

describe('ingest under faults', () => {
  it('loses and duplicates nothing when the ingest process is killed -9 three times mid-stream', async () => {
    const { run, sampler } = await begin('kill9');
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
      sampler.stop();
      report.kill9 = summary(verdict, { storedAtKill, peakRssMib: sampler.processPeaks });
      // Each kill landed mid-stream: some events were stored, not all.
      for (const count of storedAtKill) expect(count).toBeLessThan(verdict.expectedIds);
      expect(storedAtKill[2]).toBeGreaterThan(0);
      expectExact(verdict, bad, 'repeats allowed');
      expectMemoryBounded(sampler, 4);
    } finally {
      sampler.stop();
      await run.end();
    }
  });

  it('pauses while Elasticsearch is down for 30 s, keeps memory flat, stops cleanly, and resumes by itself', async () => {
    // Info logs: the first process's own account of its stop is read below.
    const { run, sampler } = await begin('es-down', { CAIRN_LOG_LEVEL: 'info' });
    const first = run.ingests[0];
    const firstMetrics = new MetricsWatcher(first, [
      'cairn_ingest_paused_partitions',
      'cairn_ingest_bulk_retries_total',
      'cairn_ingest_chain_retries_total',
    ]);
    let secondMetrics: MetricsWatcher | undefined;
    try {
      const stream = interleave(good, bad, 100);
      const producing = run.produce(stream, RATE);
      // The outage must land mid-stream: after the first events are stored (a fixed 3 s was once
      // too short for a cold stack), long before the last is produced (10 s at RATE).
      await sleep(3000);
      const storedBefore = await eventually(
        async () => {
          const stored = await run.storedCount();
          return stored > 0 ? stored : undefined;
        },
        'the first events stored',
        5_000,
      );
      sampler.phase = 'outage';
      await stackCommand('stop-elasticsearch');
      const outageStarted = Date.now();
      await sleep(20_000);
      // Backpressure: the partitions whose chunk waits on Elasticsearch are paused, and retried,
      // whether the chunk waits in its bulk or in reading its chain's head first.
      await firstMetrics.sample();
      const pausedInOutage = firstMetrics.peaks.cairn_ingest_paused_partitions ?? 0;
      const retriesInOutage =
        (firstMetrics.last.cairn_ingest_bulk_retries_total ?? 0) +
        (firstMetrics.last.cairn_ingest_chain_retries_total ?? 0);
      firstMetrics.stop();
      // SIGTERM while a batch waits on Elasticsearch: abandoned uncommitted, process ends promptly.
      const stopStarted = Date.now();
      const ended = await first.stop();
      const stopMs = Date.now() - stopStarted;
      expectOrderlyStop(ended, first.output());
      // A pipe may deliver the last lines after the exit event.
      await eventually(
        async () => (first.output().includes('"msg":"ingest stopped"') ? true : undefined),
        'the last log line',
        5_000,
      );
      const shutdownMs = loggedShutdownMs(first.output());
      sampler.phase = 'outage, second process';
      const second = await run.startIngest();
      secondMetrics = new MetricsWatcher(second, ['cairn_ingest_paused_partitions']);
      await sleep(Math.max(0, 30_000 - (Date.now() - outageStarted)));
      await stackCommand('start');
      sampler.phase = 'recovery';
      await producing;
      const verdict = await settle(run, good);
      sampler.stop();
      await secondMetrics.sample();
      secondMetrics.stop();
      report.elasticsearchDown = summary(verdict, {
        storedBefore,
        pausedInOutage,
        retriesInOutage,
        sigtermStopMs: stopMs,
        sigtermShutdownMs: shutdownMs,
        peakRssMib: sampler.peaks,
      });
      expect(storedBefore).toBeGreaterThan(0);
      expect(pausedInOutage).toBeGreaterThanOrEqual(1);
      expect(retriesInOutage).toBeGreaterThan(0);
      // Resumed by itself: the second process ends with nothing paused.
      expect(secondMetrics.last.cairn_ingest_paused_partitions).toBe(0);
      expect(shutdownMs).toBeLessThanOrEqual(SIGTERM_ABANDON_MS);
      // The whole process, Node's own exit included, within a second.
      expect(stopMs).toBeLessThan(1000);
      expectExact(verdict, bad, 'repeats allowed');
      expectMemoryBounded(sampler, 2);
    } finally {
      sampler.stop();
      firstMetrics.stop();
      secondMetrics?.stop();
      await stackCommand('start');
      await run.end();
    }
  });

  it('recovers by itself when the Kafka broker restarts mid-stream', async () => {
    const { run, sampler } = await begin('kafka-restart');
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
      sampler.stop();
      report.kafkaRestart = summary(verdict, { storedBefore, peakRssMib: sampler.processPeaks });
      expect(storedBefore).toBeGreaterThan(0);
      expectExact(verdict, bad, 'repeats allowed');
      expectMemoryBounded(sampler, 1);
    } finally {
      sampler.stop();
      await stackCommand('start');
      await run.end();
    }
  });

  it('stays exact while a second ingest process joins mid-stream and then leaves', async () => {
    const { run, sampler } = await begin('rebalance');
    try {
      const producing = run.produce(interleave(good, bad, 100), RATE);
      await sleep((N / RATE) * 250);
      const second = await run.startIngest();
      // The group settles with both processes holding partitions (however long the join takes on
      // a busy machine); then the second works a while before it leaves.
      const assignment = await eventually(async () => {
        const members = await run.assignedPartitions();
        return members.length === 2 && members.every((count) => count > 0) ? members : undefined;
      }, 'both processes to be assigned partitions');
      await sleep((N / RATE) * 250);
      expectOrderlyStop(await second.stop(), second.output());
      await producing;
      const verdict = await settle(run, good);
      sampler.stop();
      report.rebalance = summary(verdict, { assignment, peakRssMib: sampler.processPeaks });
      expectExact(verdict, bad, 'repeats allowed');
      expectMemoryBounded(sampler, 2);
    } finally {
      sampler.stop();
      await run.end();
    }
  });

  it('stays exact when a process freezes past its session timeout mid-chunk, loses its partitions, and thaws', async () => {
    // A stop-the-world pause (a VM frozen, a debugger, swap): the group moves the frozen process's
    // partitions on; when it thaws, its chunk in hand finishes late and it rejoins, and neither its
    // late work nor the chain heads it held may fork a chain or sign one's head stale.
    const { run, sampler } = await begin('freeze', {
      KAFKA_SESSION_TIMEOUT_MS: String(FREEZE_SESSION_MS),
      CAIRN_LOG_LEVEL: 'info',
    });
    try {
      await run.startIngest();
      const both = () =>
        eventually(async () => {
          const members = await run.assignedPartitions();
          return members.length === 2 && members.every((count) => count > 0) ? members : undefined;
        }, 'both processes to hold partitions');
      await both();
      const producing = run.produce(interleave(good, bad, 100), RATE);
      await sleep((N / RATE) * 300);
      const frozen = run.ingests[0].process;
      frozen.kill('SIGSTOP');
      const alone = await eventually(
        async () => {
          const members = await run.assignedPartitions();
          return members.length === 1 ? members : undefined;
        },
        'the group to move the frozen process out',
        FREEZE_SESSION_MS * 6,
      );
      await sleep(2000);
      frozen.kill('SIGCONT');
      const rejoined = await both();
      await producing;
      const verdict = await settle(run, good);
      sampler.stop();
      report.freeze = summary(verdict, { alone, rejoined, peakRssMib: sampler.processPeaks });
      expectExact(verdict, bad, 'repeats allowed');
      expectMemoryBounded(sampler, 2);
    } finally {
      run.ingests[0]?.process.kill('SIGCONT');
      keepLogs(run);
      sampler.stop();
      await run.end();
    }
  });

  it('dead-letters every kind of bad input interleaved with good, including a mapping conflict and a 5 MiB message', async () => {
    const { run, sampler } = await begin('bad-input');
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
      sampler.stop();
      report.badInput = summary(verdict, { peakRssMib: sampler.processPeaks });
      // No fault: nothing is read twice, so every bad message is one dead-letter record.
      expectExact(verdict, invalid, 'once');
      expectMemoryBounded(sampler, 1);
    } finally {
      sampler.stop();
      await run.end();
    }
  });

  it('stores nothing twice when a new group replays the topics from offset zero', async () => {
    const { run, sampler } = await begin('replay');
    try {
      await run.produce(interleave(good, bad, 100), RATE * 5);
      await run.waitUntilDrained();
      const before = (await run.verify(good)).storedDocuments;
      const replayGroup = `${run.names.group}-replay`;
      await run.startIngest({ KAFKA_CONSUMER_GROUP: replayGroup });
      await run.waitUntilDrained(replayGroup);
      const verdict = await run.verify(good);
      sampler.stop();
      report.replay = summary(verdict, { storedBeforeReplay: before, peakRssMib: sampler.processPeaks });
      expect(verdict.storedDocuments).toBe(before);
      expectExact(verdict, bad, 'repeats allowed');
      // The replay dead-letters the bad messages again: same source positions, so still counted once.
      expect(verdict.deadLetterRecords).toBe(2 * bad.length);
      expectMemoryBounded(sampler, 2);
    } finally {
      sampler.stop();
      await run.end();
    }
  });
});

/** From the process's own log lines: SIGTERM received ("stopping ingest") to "ingest stopped". */
function loggedShutdownMs(output: string): number {
  const timeOf = (message: string) => {
    const line = output.split('\n').find((text) => text.includes(`"msg":"${message}"`));
    if (!line) throw new Error(`no "${message}" log line in:\n${output.slice(-2000)}`);
    return Date.parse((JSON.parse(line) as { time: string }).time);
  };
  return timeOf('ingest stopped') - timeOf('stopping ingest');
}
