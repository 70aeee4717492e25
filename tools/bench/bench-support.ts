import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import type { ElasticsearchConfig } from '@cairn/config';
import type { AuditEventDocument } from '@cairn/event-schema';
import { monthlyIndexName } from '@cairn/elasticsearch-store';
import type { WorkloadMessage } from '../../test/support/workload';

/** Shared by the ingest benchmarks: the stack's clients, isolated names, a spawned ingest, /proc. */
export const REPO = join(__dirname, '..', '..', '..', '..');
export const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
export const ELASTICSEARCH_URL = process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200';

export const kafka = () =>
  new Kafka({ clientId: 'cairn-bench', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
export const elasticsearch = () => new Client({ node: ELASTICSEARCH_URL, requestTimeout: 120_000 });
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

export function benchNames(label: string) {
  const id = `${label}-${randomBytes(3).toString('hex')}`;
  return {
    topics: {
      orchestrator: `bench.${id}.orchestrator`,
      runtime: `bench.${id}.runtime`,
      registry: `bench.${id}.registry`,
      deadLetter: `bench.${id}.dlq`,
    },
    group: `bench-${id}`,
    indexPrefix: `cairn-bench-${id}`,
  };
}
export type BenchNames = ReturnType<typeof benchNames>;

/** The local node as the benchmarks use it: one shard, no replica, requests that may take long. */
export function benchStoreConfig(indexPrefix: string, refreshInterval = '5s'): ElasticsearchConfig {
  return {
    url: ELASTICSEARCH_URL,
    nodes: [ELASTICSEARCH_URL],
    indexPrefix,
    replicas: 0,
    shards: 1,
    refreshInterval,
    requestTimeoutMs: 120_000,
  };
}

export function ingestEnvironment(names: BenchNames, extra: Record<string, string> = {}) {
  return {
    KAFKA_BROKERS,
    ELASTICSEARCH_URL,
    ELASTICSEARCH_INDEX_PREFIX: names.indexPrefix,
    CAIRN_TOPIC_ORCHESTRATOR: names.topics.orchestrator,
    CAIRN_TOPIC_RUNTIME: names.topics.runtime,
    CAIRN_TOPIC_REGISTRY: names.topics.registry,
    CAIRN_TOPIC_DEAD_LETTER: names.topics.deadLetter,
    KAFKA_CONSUMER_GROUP: names.group,
    CAIRN_LOG_LEVEL: 'warn',
    // Ingest as deployed: chains on, checkpoints signed with a key made for the run.
    CAIRN_INTEGRITY_KEY_FILE: benchIntegrityKey(),
    CAIRN_INTEGRITY_CHECKPOINT_DIR: benchCheckpointDir(names),
    // Tuning knobs pass through, so a run can try them without a rebuild.
    ...Object.fromEntries(
      Object.entries(process.env).filter(
        (entry): entry is [string, string] =>
          /^(KAFKA_FETCH_|KAFKA_SESSION_|CAIRN_BULK_|CAIRN_INTEGRITY$)/.test(entry[0]) && !!entry[1],
      ),
    ),
    ...extra,
  };
}

/** Each run's checkpoint log, outside the repository. */
export function benchCheckpointDir(names: BenchNames): string {
  return join(tmpdir(), `cairn-bench-checkpoints-${names.group}`);
}

export function benchIntegrityKey(): string {
  const file = join(tmpdir(), `cairn-bench-signing-key-${process.pid}.pem`);
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  return file;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Starts the built ingest app and waits for /healthz. */
export async function startIngest(env: Record<string, string>): Promise<ChildProcess> {
  // The heap cap ingest is deployed with (Dockerfile), plus e.g. BENCH_INGEST_NODE_FLAGS="--cpu-prof
  // --cpu-prof-dir=/tmp/prof" to profile it.
  const flags = ['--max-old-space-size=256', ...(process.env.BENCH_INGEST_NODE_FLAGS ?? '').split(' ')];
  return (await startBuiltApp('ingest', env, flags.filter(Boolean))).child;
}

/** Starts a built app (dist/apps/<app>) on a free port and waits for its /healthz. */
export async function startBuiltApp(
  app: 'ingest' | 'api' | 'intake',
  env: Record<string, string>,
  nodeFlags: readonly string[] = [],
): Promise<{ child: ChildProcess; baseUrl: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeFlags, join(REPO, `dist/apps/${app}/main.js`)], {
    env: {
      PATH: process.env.PATH ?? '',
      ...env,
      [{ api: 'CAIRN_API_PORT', ingest: 'CAIRN_INGEST_PORT', intake: 'CAIRN_INTAKE_PORT' }[app]]:
        String(port),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let waited = 0; waited < 60_000; waited += 200) {
    if (child.exitCode !== null) throw new Error(`${app} exited with ${child.exitCode}`);
    const ok = await fetch(`${baseUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child, baseUrl };
    await sleep(200);
  }
  child.kill('SIGKILL');
  throw new Error(`${app} did not answer /healthz`);
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** RSS in MiB and CPU seconds (user + system) of a process, from /proc. */
export function processUsage(pid: number): { rssMib: number; cpuSeconds: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
    // Fields 14 and 15 of /proc/<pid>/stat, after the parenthesised command name.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { rssMib: rss, cpuSeconds: ticks / 100 };
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS until stopped; keeps the peak. */
export function peakRss(pid: number, everyMs = 100) {
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, processUsage(pid)?.rssMib ?? 0);
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}

export async function connectProducer(): Promise<Producer> {
  const producer = kafka().producer({ allowAutoTopicCreation: false });
  await producer.connect();
  return producer;
}

/** Sends messages in chunks of 1,000, grouped by topic, acks -1; returns when all are written. */
export async function produceAll(
  producer: Producer,
  names: BenchNames,
  messages: readonly WorkloadMessage[],
  onChunk?: (from: number, count: number) => void,
): Promise<void> {
  const CHUNK = 1000;
  for (let from = 0; from < messages.length; from += CHUNK) {
    const slice = messages.slice(from, from + CHUNK);
    const byTopic = new Map<string, { value: Buffer }[]>();
    for (const message of slice) {
      const topic = names.topics[message.topic];
      const list = byTopic.get(topic) ?? [];
      list.push({ value: message.value });
      byTopic.set(topic, list);
    }
    onChunk?.(from, slice.length);
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list })),
    });
  }
}

/** True once the group has committed every raw partition to its end. */
export async function drained(admin: Admin, names: BenchNames): Promise<boolean> {
  const topics = [names.topics.orchestrator, names.topics.runtime, names.topics.registry];
  const committed = await admin.fetchOffsets({ groupId: names.group, topics });
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const mine = committed.find((entry) => entry.topic === topic)?.partitions ?? [];
    for (const end of ends) {
      const at = Number(mine.find((p) => p.partition === end.partition)?.offset ?? -1);
      if (Number(end.high) > 0 && at < Number(end.high)) return false;
    }
  }
  return true;
}

export async function waitForTopics(admin: Admin, names: BenchNames): Promise<void> {
  for (let waited = 0; waited < 60_000; waited += 200) {
    if ((await admin.listTopics()).includes(names.topics.deadLetter)) return;
    await sleep(200);
  }
  throw new Error('ingest did not create its topics');
}

export async function removeBenchData(admin: Admin, es: Client, names: BenchNames): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const topics = Object.values(names.topics).filter((topic) => existing.has(topic));
  if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
  const indices = Object.keys(
    await es.indices.get({ index: `${names.indexPrefix}-*`, allow_no_indices: true }).catch(() => ({})),
  );
  for (const index of indices) await es.indices.delete({ index }).catch(() => undefined);
  for (const index of [`${names.indexPrefix}.identities`, `${names.indexPrefix}.checkpoints`]) {
    await es.indices.delete({ index }, { ignore: [404] }).catch(() => undefined);
  }
  await es.indices.deleteIndexTemplate({ name: names.indexPrefix }, { ignore: [404] }).catch(() => undefined);
}

/**
 * Documents straight to _bulk into their monthly indices, `bulkEvents` per request, `concurrency`
 * requests at once, with the response filtering Cairn's BulkWriter uses: the benchmarks' limit.
 */
export async function bulkIndex(
  es: Client,
  indexPrefix: string,
  documents: readonly AuditEventDocument[],
  { bulkEvents, concurrency }: { bulkEvents: number; concurrency: number },
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < documents.length) {
      const slice = documents.slice(next, next + bulkEvents);
      next += slice.length;
      const operations = slice.flatMap((document) => [
        { create: { _index: monthlyIndexName(indexPrefix, document['@timestamp']), _id: document.event.id } },
        document,
      ]);
      const response = await es.bulk({
        operations,
        filter_path: ['items.*.status', 'items.*.error.type', 'items.*.error.reason'],
      });
      const failed = response.items.filter((item) => (item.create?.status ?? 500) >= 300);
      if (failed.length > 0) throw new Error(`raw bulk: ${failed.length} items failed`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** `work`'s result, its wall time and the cores each process used meanwhile (cpuAccount). */
export async function measured<T>(
  work: () => Promise<T>,
  subject?: { label: string; pid: number },
): Promise<{ value: T; seconds: number; cores: Record<string, number> }> {
  const cpu = subject ? cpuAccount(subject) : cpuAccount();
  const started = process.hrtime.bigint();
  const value = await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { value, seconds, cores: cpu.stop() };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function pidFrom(file: string): number | undefined {
  try {
    return Number(readFileSync(file, 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds used by Elasticsearch, Kafka, the process under test and this benchmark process
 * between start() and stop(): on a small machine they share the cores, and the figures show who
 * took them.
 */
export function cpuAccount(...subjects: { label: string; pid: number }[]) {
  const stack = process.env.CAIRN_STACK_DIR ?? join(REPO, '.cairn');
  const pids: Record<string, number | undefined> = {
    elasticsearch: pidFrom(join(stack, 'elasticsearch', 'es.pid')),
    kafka: pidFrom(join(stack, 'kafka', 'kafka.pid')),
  };
  for (const subject of subjects) pids[subject.label] = subject.pid;
  const read = () =>
    Object.fromEntries(
      Object.entries(pids).map(([label, pid]) => [label, pid ? (processUsage(pid)?.cpuSeconds ?? 0) : 0]),
    );
  const before = read();
  const selfBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  return {
    /** Cores used on average by each, over the wall time since start. */
    stop: () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const after = read();
      const self = process.cpuUsage(selfBefore);
      const cores: Record<string, number> = {};
      for (const label of Object.keys(pids))
        cores[label] = +((after[label] - before[label]) / seconds).toFixed(2);
      cores.benchmarkProcess = +((self.user + self.system) / 1e6 / seconds).toFixed(2);
      return cores;
    },
  };
}
