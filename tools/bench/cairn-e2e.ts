import type { Client } from '@elastic/elasticsearch';
import { installIndexTemplate } from '@cairn/elasticsearch-store';
import type { WorkloadMessage } from '../../test/support/workload';
import {
  benchNames,
  benchStoreConfig,
  connectProducer,
  cpuAccount,
  drained,
  elasticsearch,
  ingestEnvironment,
  kafka,
  peakRss,
  processUsage,
  produceAll,
  removeBenchData,
  sleep,
  startIngest,
  stopProcess,
  waitForTopics,
  type BenchNames,
} from './bench-support';

export async function refreshAndCount(es: Client, names: BenchNames): Promise<number> {
  await es.indices.refresh({ index: `${names.indexPrefix}-*` });
  return (await es.count({ index: `${names.indexPrefix}-*` })).count;
}

/**
 * One load into fresh benchmark indices (Cairn's template, one shard, no replica), timed until a
 * refresh made all of it searchable, with each process's CPU meanwhile; the indices go afterwards.
 */
export async function measureLoad(
  label: string,
  expected: number,
  load: (es: Client, names: BenchNames) => Promise<void>,
  refreshInterval: string,
) {
  const names = benchNames(label);
  const es = elasticsearch();
  const admin = kafka().admin();
  await admin.connect();
  try {
    await installIndexTemplate(es, benchStoreConfig(names.indexPrefix, refreshInterval));
    const cpu = cpuAccount();
    const started = process.hrtime.bigint();
    await load(es, names);
    const count = await refreshAndCount(es, names);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const coresUsed = cpu.stop();
    if (count !== expected) throw new Error(`${label}: stored ${count} of ${expected}`);
    return {
      seconds,
      eps: Math.round(expected / seconds),
      coresUsed,
      cpuSecondsPer1000Events: cpuSecondsPer1000(coresUsed, seconds, expected),
    };
  } finally {
    await removeBenchData(admin, es, names);
    await admin.disconnect();
    await es.close();
  }
}

/** Cairn: first produce to every message committed, then a refresh makes it all searchable. */
export async function measureCairn(
  workload: readonly WorkloadMessage[],
  expected: number,
  ingestSettings: Record<string, string>,
) {
  const names = benchNames('cairn');
  const admin = kafka().admin();
  await admin.connect();
  const es = elasticsearch();
  const ingest = await startIngest(ingestEnvironment(names, ingestSettings));
  try {
    await waitForTopics(admin, names);
    const producer = await connectProducer();
    const rss = peakRss(ingest.pid!);
    const cpu = cpuAccount({ label: 'ingest', pid: ingest.pid! });
    const cpuBefore = processUsage(ingest.pid!)!.cpuSeconds;
    const started = process.hrtime.bigint();
    let producedAt = 0n;
    const producing = produceAll(producer, names, workload).then(() => {
      producedAt = process.hrtime.bigint();
    });
    while (!(await drained(admin, names))) await sleep(100);
    await producing;
    const written = process.hrtime.bigint();
    const count = await refreshAndCount(es, names);
    const searchable = process.hrtime.bigint();
    const cpuSeconds = processUsage(ingest.pid!)!.cpuSeconds - cpuBefore;
    const coresUsed = cpu.stop();
    const peakRssMb = rss.stop();
    await producer.disconnect();
    if (count !== expected) throw new Error(`Cairn stored ${count} documents, expected ${expected}`);
    const seconds = Number(searchable - started) / 1e9;
    return {
      seconds,
      eps: Math.round(expected / seconds),
      produceSeconds: Number(producedAt - started) / 1e9,
      writeSeconds: Number(written - started) / 1e9,
      peakRssMb: Math.round(peakRssMb),
      cpuPercent: Math.round((cpuSeconds / seconds) * 100),
      coresUsed,
    };
  } finally {
    await stopProcess(ingest);
    await removeBenchData(admin, es, names);
    await admin.disconnect();
    await es.close();
  }
}

/** CPU seconds each process spent per 1,000 events, from the cores it used over `seconds`. */
export function cpuSecondsPer1000(
  cores: Record<string, number>,
  seconds: number,
  events: number,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(cores).map(([label, used]) => [label, +(((used * seconds) / events) * 1000).toFixed(3)]),
  );
}

/**
 * Cairn draining a backlog: every message is in the raw topics before the clock starts, so the
 * benchmark's producer does not compete with Cairn for the cores. Ingest is started once to
 * create its topics and stopped; the workload is produced; then ingest starts again and is timed
 * from its readiness (/healthz) until the group has committed everything, plus a refresh.
 * BENCH_INGEST_PROCESSES (default 1) starts that many ingest processes sharing the group: each
 * has its own fetch loop, which measures what overlapping fetches with stores could buy.
 */
export async function measureCairnDrain(
  workload: readonly WorkloadMessage[],
  expected: number,
  ingestSettings: Record<string, string>,
) {
  const names = benchNames('drain');
  const admin = kafka().admin();
  await admin.connect();
  const es = elasticsearch();
  const env = ingestEnvironment(names, ingestSettings);
  const processes = Number(process.env.BENCH_INGEST_PROCESSES ?? 1);
  let ingests = [await startIngest(env)];
  try {
    await waitForTopics(admin, names);
    await stopProcess(ingests[0]);
    const producer = await connectProducer();
    await produceAll(producer, names, workload);
    await producer.disconnect();
    const spawned = process.hrtime.bigint();
    ingests = await Promise.all(Array.from({ length: processes }, () => startIngest(env)));
    const ready = process.hrtime.bigint();
    const rss = ingests.map((ingest) => peakRss(ingest.pid!));
    const labels = ingests.map((_, i) => (processes === 1 ? 'ingest' : `ingest${i + 1}`));
    const cpu = cpuAccount(...ingests.map((ingest, i) => ({ label: labels[i], pid: ingest.pid! })));
    while (!(await drained(admin, names))) await sleep(100);
    const count = await refreshAndCount(es, names);
    const seconds = Number(process.hrtime.bigint() - ready) / 1e9;
    const coresUsed = cpu.stop();
    // With several processes, `ingest` is all of them together; each keeps its own line too.
    if (processes > 1)
      coresUsed.ingest = +labels.reduce((sum, label) => sum + coresUsed[label], 0).toFixed(2);
    const peakRssMb = Math.max(...rss.map((sampler) => sampler.stop()));
    if (count !== expected) throw new Error(`Cairn stored ${count} documents, expected ${expected}`);
    return {
      seconds,
      eps: Math.round(expected / seconds),
      processes,
      startSeconds: +(Number(ready - spawned) / 1e9).toFixed(2),
      peakRssMb: Math.round(peakRssMb),
      coresUsed,
      cpuSecondsPer1000Events: cpuSecondsPer1000(coresUsed, seconds, expected),
    };
  } finally {
    await Promise.all(ingests.map((ingest) => stopProcess(ingest)));
    await removeBenchData(admin, es, names);
    await admin.disconnect();
    await es.close();
  }
}
