import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeRawEvent } from '@cairn/normalizers';
import { mixedEvents, type WorkloadMessage } from '../../test/support/workload';
import {
  benchNames,
  connectProducer,
  cpuAccount,
  elasticsearch,
  kafka,
  peakRss,
  processUsage,
  produceAll,
  progress,
  removeBenchData,
  sleep,
  stopProcess,
  KAFKA_BROKERS,
  ELASTICSEARCH_URL,
  REPO,
} from './bench-support';
import { cpuSecondsPer1000, measureCairn, measureCairnDrain } from './cairn-e2e';

/**
 * `npm run bench:peer`: the same events through Cairn and through rsyslog (Debian's rsyslog-kafka
 * and rsyslog-elasticsearch: imkafka -> omelasticsearch in bulk mode, no normalization), in one
 * run. Prints JSON with Cairn's messages/s divided by rsyslog's. Target >= 1.0. Drain mode
 * (BENCH_PEER_MODE=drain, the default; `stream` for the earlier way) produces every message before
 * either side starts, so the benchmark's producer competes with neither; rsyslog is timed from its
 * start, Cairn from its readiness.
 */
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const BULK_EVENTS = Number(process.env.CAIRN_BULK_MAX_EVENTS ?? 2000);
const CONCURRENCY = Number(process.env.CAIRN_PARTITIONS_CONCURRENCY ?? 3);
const REFRESH = process.env.ELASTICSEARCH_REFRESH_INTERVAL ?? '5s';
const RSYSLOGD = process.env.RSYSLOGD ?? '/usr/sbin/rsyslogd';
const PACKAGES = ['rsyslog', 'rsyslog-kafka', 'rsyslog-elasticsearch'];
const MODE = process.env.BENCH_PEER_MODE ?? 'drain';
if (!['stream', 'drain'].includes(MODE)) throw new Error(`BENCH_PEER_MODE: ${MODE} is not stream or drain`);
const DRAIN = MODE === 'drain';

function ensureRsyslog(): void {
  if (existsSync(RSYSLOGD) && existsSync('/usr/lib/x86_64-linux-gnu/rsyslog/imkafka.so')) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`rsyslog is missing: sudo apt-get install ${PACKAGES.join(' ')}`);
  }
  progress(`installing ${PACKAGES.join(', ')} from Debian`);
  const result = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...PACKAGES], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) throw new Error('apt-get install failed');
}

/** imkafka on each raw topic -> one queue -> omelasticsearch bulk, raw message as a JSON field. */
function rsyslogConfig(dir: string, names: ReturnType<typeof benchNames>, index: string): string {
  const [host, port] = ELASTICSEARCH_URL.replace(/^https?:\/\//, '').split(':');
  const inputs = [names.topics.orchestrator, names.topics.runtime, names.topics.registry]
    .map(
      (topic) =>
        `input(type="imkafka" topic="${topic}" broker=["${KAFKA_BROKERS}"] consumergroup="${names.group}"` +
        ` confParam=["auto.offset.reset=earliest"] ruleset="toElasticsearch")`,
    )
    .join('\n');
  return `global(workDirectory="${dir}" maxMessageSize="8m")
module(load="imkafka")
module(load="omelasticsearch")
template(name="raw" type="list" option.jsonf="on") {
  property(outname="message" name="msg" format="jsonf")
}
${inputs}
ruleset(name="toElasticsearch" queue.type="LinkedList" queue.size="200000"
        queue.dequeueBatchSize="${BULK_EVENTS}" queue.workerThreads="${CONCURRENCY}") {
  action(type="omelasticsearch" server="${host}" serverport="${port ?? '9200'}" template="raw"
         searchIndex="${index}" bulkmode="on" maxbytes="8m" action.resumeRetryCount="-1"
         esVersion.major="8")
}
`;
}

async function indexedTotal(index: string): Promise<number> {
  const es = elasticsearch();
  try {
    const stats = await es.indices.stats({ index, metric: 'indexing' });
    return stats._all.primaries?.indexing?.index_total ?? 0;
  } finally {
    await es.close();
  }
}

async function measureRsyslog(workload: readonly WorkloadMessage[]) {
  const names = benchNames('rsyslog');
  const index = `${names.indexPrefix}-raw`;
  const dir = join(REPO, '.cairn', 'bench', names.group);
  mkdirSync(dir, { recursive: true });
  const es = elasticsearch();
  const admin = kafka().admin();
  await admin.connect();
  let rsyslog: ChildProcess | undefined;
  try {
    const topics = [names.topics.orchestrator, names.topics.runtime, names.topics.registry];
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((topic) => ({
        topic,
        numPartitions: 3,
        configEntries: [{ name: 'max.message.bytes', value: String(8 * 1024 * 1024) }],
      })),
    });
    // The same index settings Cairn's template gives (shards, replicas, refresh); dynamic mapping.
    await es.indices.create({
      index,
      settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: REFRESH },
    });
    const config = join(dir, 'rsyslog.conf');
    writeFileSync(config, rsyslogConfig(dir, names, index));
    const producer = await connectProducer();
    if (DRAIN) await produceAll(producer, names, workload);
    const spawned = process.hrtime.bigint();
    rsyslog = spawn(RSYSLOGD, ['-n', '-f', config, '-i', join(dir, 'rsyslog.pid')], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (!DRAIN) await sleep(2000);
    if (rsyslog.exitCode !== null) throw new Error(`rsyslogd exited with ${rsyslog.exitCode}`);
    const rss = peakRss(rsyslog.pid!);
    const cpu = cpuAccount({ label: 'rsyslog', pid: rsyslog.pid! });
    const cpuBefore = processUsage(rsyslog.pid!)?.cpuSeconds ?? 0;
    const started = DRAIN ? spawned : process.hrtime.bigint();
    const producing = DRAIN ? Promise.resolve() : produceAll(producer, names, workload);
    const deadline = Date.now() + 15 * 60_000;
    while ((await indexedTotal(index)) < workload.length && Date.now() < deadline) await sleep(100);
    await producing;
    await es.indices.refresh({ index });
    const count = (await es.count({ index })).count;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpuSeconds = processUsage(rsyslog.pid!)!.cpuSeconds - cpuBefore;
    const coresUsed = cpu.stop();
    await producer.disconnect();
    if (count !== workload.length) throw new Error(`rsyslog stored ${count} of ${workload.length}`);
    return {
      seconds,
      messagesPerSecond: Math.round(workload.length / seconds),
      peakRssMb: Math.round(rss.stop()),
      cpuPercent: Math.round((cpuSeconds / seconds) * 100),
      coresUsed,
      cpuSecondsPer1000Messages: cpuSecondsPer1000(coresUsed, seconds, workload.length),
    };
  } finally {
    if (rsyslog) await stopProcess(rsyslog);
    await removeBenchData(admin, es, names);
    await admin.disconnect();
    await es.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  ensureRsyslog();
  const version = spawnSync(RSYSLOGD, ['-v'], { encoding: 'utf8' }).stdout.split('\n')[0];
  progress(`generating ${EVENTS} messages`);
  const workload = mixedEvents(EVENTS);
  const receivedAt = new Date();
  const events = workload.reduce(
    (sum, message) => sum + normalizeRawEvent({ bytes: message.value, receivedAt }).length,
    0,
  );
  progress('rsyslog (imkafka -> omelasticsearch)');
  const rsyslog = await measureRsyslog(workload);
  progress(`rsyslog: ${rsyslog.messagesPerSecond} messages/s; Cairn`);
  const settings = {
    ELASTICSEARCH_REFRESH_INTERVAL: REFRESH,
    CAIRN_BULK_MAX_EVENTS: String(BULK_EVENTS),
    CAIRN_PARTITIONS_CONCURRENCY: String(CONCURRENCY),
  };
  const cairn = DRAIN
    ? await measureCairnDrain(workload, events, settings)
    : await measureCairn(workload, events, settings);
  const cairnMessagesPerSecond = Math.round(workload.length / cairn.seconds);
  const ratio = +(cairnMessagesPerSecond / rsyslog.messagesPerSecond).toFixed(3);
  console.log(
    JSON.stringify(
      {
        benchmark: 'peer',
        peer: version,
        mode: MODE,
        messages: workload.length,
        events,
        settings: { bulkMaxEvents: BULK_EVENTS, concurrency: CONCURRENCY, refreshInterval: REFRESH },
        cairnMessagesPerSecond,
        rsyslogMessagesPerSecond: rsyslog.messagesPerSecond,
        ratio,
        cairn: { ...cairn, messagesPerSecond: cairnMessagesPerSecond },
        rsyslog,
        target: { ratio: '>= 1.0', met: ratio >= 1 },
      },
      null,
      2,
    ),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
