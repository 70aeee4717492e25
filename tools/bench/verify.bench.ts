import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import type { AuditEventDocument } from '@cairn/event-schema';
import { keyIdOf } from '@cairn/integrity';
import { CheckpointIndex, CheckpointLog, IntegrityAudit } from '@cairn/integrity-store';
import { mixedEvents } from '../../test/support/workload';
import {
  benchCheckpointDir,
  benchIntegrityKey,
  benchNames,
  connectProducer,
  measured,
  drained,
  elasticsearch,
  ingestEnvironment,
  kafka,
  produceAll,
  progress,
  removeBenchData,
  sleep,
  startIngest,
  stopProcess,
  waitForTopics,
  benchStoreConfig,
} from './bench-support';

/**
 * Verification of the hash chains (IntegrityAudit, as `cairn verify` and integrityReport run it)
 * beside a raw point-in-time read of the same documents (pages of 5,000, parsed, nothing else),
 * alternated in one run, printed as JSON: events/s and their ratio (target >= 0.8).
 * BENCH_VERIFY_EVENTS messages are stored first (default 50,000).
 */
const MESSAGES = Number(process.env.BENCH_VERIFY_EVENTS ?? 50_000);
const ROUNDS = Number(process.env.BENCH_VERIFY_ROUNDS ?? 5);
const PAGE = 5000;
/** Worker threads verification reads and hashes on (CAIRN_INTEGRITY_VERIFY_THREADS's default). */
const THREADS = Number(process.env.BENCH_VERIFY_THREADS ?? 3);
/** Each thread's young generation in MB, to compare with IntegrityAudit's default (0: V8's own). */
const YOUNG_MB = process.env.BENCH_VERIFY_YOUNG_MB ? Number(process.env.BENCH_VERIFY_YOUNG_MB) : undefined;

async function rawRead(es: ReturnType<typeof elasticsearch>, indexPrefix: string): Promise<number> {
  const pit = await es.openPointInTime({ index: indexPrefix, keep_alive: '2m' });
  let events = 0;
  let searchAfter: unknown[] | undefined;
  try {
    for (;;) {
      const page = await es.search<AuditEventDocument>({
        pit: { id: pit.id, keep_alive: '2m' },
        query: { exists: { field: 'cairn.integrity.chain' } },
        size: PAGE,
        sort: ['_shard_doc'],
        track_total_hits: false,
        ...(searchAfter && { search_after: searchAfter as never }),
      });
      const hits = page.hits.hits;
      if (hits.length === 0) return events;
      events += hits.length;
      searchAfter = hits[hits.length - 1].sort;
    }
  } finally {
    await es.closePointInTime({ id: pit.id });
  }
}

async function main(): Promise<void> {
  const names = benchNames('verify');
  const admin = kafka().admin();
  await admin.connect();
  const es = elasticsearch();
  const env = ingestEnvironment(names, {
    CAIRN_MAX_EVENT_AGE_DAYS: '3650',
    CAIRN_INTEGRITY_VERIFY_SECONDS: '0',
  });
  const ingest = await startIngest(env);
  try {
    await waitForTopics(admin, names);
    const producer = await connectProducer();
    progress(`storing ${MESSAGES} messages`);
    await produceAll(producer, names, mixedEvents(MESSAGES, { seed: names.group }));
    await producer.disconnect();
    while (!(await drained(admin, names))) await sleep(500);
    // A clean stop signs the last heads; then ingest competes with neither side.
    await stopProcess(ingest);
    await es.indices.refresh({ index: `${names.indexPrefix}-*` });
    const key = createPublicKey(readFileSync(benchIntegrityKey(), 'utf8'));
    const audit = new IntegrityAudit({
      client: es,
      indexPrefix: names.indexPrefix,
      checkpoints: new CheckpointIndex(es, names.indexPrefix),
      log: new CheckpointLog(benchCheckpointDir(names)),
      trustedKeys: new Map<string, KeyObject>([[keyIdOf(key), key]]),
      checkpointSeconds: 60,
      pageSize: Number(process.env.BENCH_VERIFY_PAGE ?? PAGE),
      threads: {
        count: THREADS,
        youngGenerationMb: YOUNG_MB,
        elasticsearch: benchStoreConfig(names.indexPrefix, '1s'),
      },
    });
    const runs: {
      verifySeconds: number;
      rawSeconds: number;
      verifyCores: Record<string, number>;
      rawCores: Record<string, number>;
      verified: number;
      read: number;
      findings: number;
    }[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const verifying = await measured(() => audit.verify());
      const reading = await measured(() => rawRead(es, names.indexPrefix));
      const report = verifying.value;
      const read = reading.value;
      const [verifySeconds, rawSeconds] = [verifying.seconds, reading.seconds];
      const [verifyCores, rawCores] = [verifying.cores, reading.cores];
      runs.push({
        verifySeconds,
        rawSeconds,
        verifyCores,
        rawCores,
        verified: report.eventsVerified,
        read,
        findings: report.findings.length,
      });
      progress(
        `round ${round + 1}: verify ${verifySeconds.toFixed(2)} s, raw read ${rawSeconds.toFixed(2)} s`,
      );
    }
    if (process.env.BENCH_VERIFY_PROFILE === '1') {
      // What every verification pays besides reading events: checkpoints, refresh, chain names, counts.
      const fixedStart = process.hrtime.bigint();
      await audit.verify({ to: new Date(1) });
      progress(
        `fixed cost (a window with no events): ${(Number(process.hrtime.bigint() - fixedStart) / 1e6).toFixed(0)} ms`,
      );
      // Where verification spends it: the same per-chain sorted reads without any hashing.
      const chains = (await audit.verify()).chains.map((chain) => chain.chain);
      let started = process.hrtime.bigint();
      let read = 0;
      for (const chain of chains) {
        let after: unknown[] | undefined;
        for (;;) {
          const page = await es.search<AuditEventDocument>({
            index: names.indexPrefix,
            query: { term: { 'cairn.integrity.chain': chain } },
            size: PAGE,
            sort: [{ 'cairn.integrity.seq': 'asc' }],
            track_total_hits: false,
            ...(after && { search_after: after as never }),
          });
          if (page.hits.hits.length === 0) break;
          read += page.hits.hits.length;
          after = page.hits.hits[page.hits.hits.length - 1].sort;
        }
      }
      progress(
        `sorted per-chain read, no hashing: ${read} in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(2)} s`,
      );
      const { eventDigest } = await import('@cairn/integrity');
      const docs = (
        await es.search<AuditEventDocument>({ index: names.indexPrefix, size: 5000 })
      ).hits.hits.map((h) => h._source!);
      started = process.hrtime.bigint();
      for (const document of docs) eventDigest(document);
      progress(
        `hashing only: ${(Number(process.hrtime.bigint() - started) / docs.length / 1000).toFixed(1)} µs per event`,
      );
    }
    const best = (key: 'verifySeconds' | 'rawSeconds') => Math.min(...runs.map((run) => run[key]));
    const verifyRate = Math.round(runs[0].verified / best('verifySeconds'));
    const rawRate = Math.round(runs[0].read / best('rawSeconds'));
    const ratio = +(verifyRate / rawRate).toFixed(2);
    // Elasticsearch's CPU per 1,000 events verified, the first (cold) round left out: what
    // index-sort.bench's ingest-side cost buys back on every verification.
    const warm = runs.length > 1 ? runs.slice(1) : runs;
    const elasticsearchCpuMsPer1000 = (phase: 'verify' | 'raw') =>
      Math.round(
        (warm.reduce((sum, run) => sum + run[`${phase}Cores`].elasticsearch * run[`${phase}Seconds`], 0) /
          warm.length /
          runs[0].verified) *
          1e6,
      );
    process.stdout.write(
      `${JSON.stringify(
        {
          benchmark: 'verify',
          messages: MESSAGES,
          verified: runs[0].verified,
          chains: (await audit.verify()).chains.length,
          pageSize: Number(process.env.BENCH_VERIFY_PAGE ?? PAGE),
          threads: THREADS,
          youngGenerationMb: YOUNG_MB ?? 'default',
          verifyEventsPerSecond: verifyRate,
          rawReadEventsPerSecond: rawRate,
          ratio,
          verifyElasticsearchCpuMsPer1000: elasticsearchCpuMsPer1000('verify'),
          rawElasticsearchCpuMsPer1000: elasticsearchCpuMsPer1000('raw'),
          target: 0.8,
          meetsTarget: ratio >= 0.8,
          runs,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await stopProcess(ingest);
    await removeBenchData(admin, es, names);
    rmSync(benchCheckpointDir(names), { recursive: true, force: true });
    await admin.disconnect();
    await es.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
