import type { AuditEventDocument } from '@cairn/event-schema';
import { secureEnvironment } from '../../test/support/secure-stack';
import { mixedEvents, type WorkloadMessage } from '../../test/support/workload';
import { cpuSecondsPer1000, measureCairn, measureCairnDrain, measureLoad } from './cairn-e2e';
import { storedDocuments } from './stored-form';
import {
  benchNames,
  bulkIndex,
  connectProducer,
  elasticsearch,
  ingestEnvironment,
  kafka,
  percentile,
  produceAll,
  progress,
  removeBenchData,
  sleep,
  startIngest,
  stopProcess,
  waitForTopics,
} from './bench-support';

/**
 * `npm run bench:ingest`: Cairn end to end (Kafka -> normalize -> Elasticsearch) against a raw
 * _bulk loader sending the same documents as Cairn stores them (tagged, positioned, chained; not
 * their identity claims, which are Cairn's own cost) with the same ids, batch size, concurrency
 * and index settings, in one run; then produce-to-searchable latency at half Cairn's rate.
 * Two modes, both by default (BENCH_INGEST_MODE=stream|drain for one): stream produces while
 * Cairn consumes (the benchmark's producer shares the cores), drain produces everything first and
 * times Cairn emptying the backlog; each prints CPU seconds per 1,000 events for ingest,
 * Elasticsearch and Kafka. Prints JSON. Targets (drain): ratio >= 0.9, ingest CPU per event
 * <= 0.3 x Elasticsearch's per document; peak RSS <= 300 MB, p99 freshness <= refresh + 2 s.
 * BENCH_INGEST_SECURE=1 (the stack started with --secure) adds Cairn end to end again with ingest
 * over SASL_SSL (SCRAM-SHA-512) and Elasticsearch through the TLS proxy, beside the plain run.
 */
const SECURE = process.env.BENCH_INGEST_SECURE === '1';
const MODE = process.env.BENCH_INGEST_MODE ?? 'both';
if (!['stream', 'drain', 'both'].includes(MODE))
  throw new Error(`BENCH_INGEST_MODE: ${MODE} is not stream, drain or both`);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const BULK_EVENTS = Number(process.env.CAIRN_BULK_MAX_EVENTS ?? 2000);
const CONCURRENCY = Number(process.env.CAIRN_PARTITIONS_CONCURRENCY ?? 3);
const REFRESH = process.env.ELASTICSEARCH_REFRESH_INTERVAL ?? '5s';
const FRESHNESS_SECONDS = Number(process.env.BENCH_FRESHNESS_SECONDS ?? 20);
const refreshSeconds = Number(/^(\d+)s$/.exec(REFRESH)?.[1] ?? 5);

const ingestSettings = {
  ELASTICSEARCH_REFRESH_INTERVAL: REFRESH,
  CAIRN_BULK_MAX_EVENTS: String(BULK_EVENTS),
  CAIRN_PARTITIONS_CONCURRENCY: String(CONCURRENCY),
};

/** The limit: the same documents straight to _bulk, same ids, batch size and concurrency. */
function measureRawBulk(documents: readonly AuditEventDocument[], label = 'raw') {
  return measureLoad(
    label,
    documents.length,
    (es, names) =>
      bulkIndex(es, names.indexPrefix, documents, { bulkEvents: BULK_EVENTS, concurrency: CONCURRENCY }),
    REFRESH,
  );
}

/** Produce-to-searchable latency of sampled events, Cairn running at `rate` messages/s. */
async function measureFreshness(workload: readonly WorkloadMessage[], rate: number) {
  const names = benchNames('fresh');
  const admin = kafka().admin();
  await admin.connect();
  const es = elasticsearch();
  const ingest = await startIngest(ingestEnvironment(names, ingestSettings));
  try {
    await waitForTopics(admin, names);
    const producer = await connectProducer();
    const total = Math.min(workload.length, Math.round(rate * FRESHNESS_SECONDS));
    const sent = new Map<string, number>();
    const latencies: number[] = [];
    let producing = true;
    const poller = (async () => {
      while (producing || sent.size > 0) {
        const ids = [...sent.keys()].slice(0, 2000);
        // The monthly index may not exist yet, or its shard not be ready: asked again next time.
        const response =
          ids.length === 0
            ? undefined
            : await es
                .search<{ event: { id: string } }>({
                  index: `${names.indexPrefix}-*`,
                  size: ids.length,
                  _source: ['event.id'],
                  query: { terms: { 'event.id': ids } },
                })
                .catch(() => undefined);
        if (response) {
          const now = Date.now();
          for (const hit of response.hits.hits) {
            const id = hit._source!.event.id;
            const at = sent.get(id);
            if (at !== undefined) latencies.push(now - at);
            sent.delete(id);
          }
        }
        await sleep(100);
      }
    })();
    const tick = 100;
    const perTick = Math.max(1, Math.round((rate * tick) / 1000));
    const started = Date.now();
    for (let from = 0; from < total; from += perTick) {
      const slice = workload.slice(from, Math.min(total, from + perTick));
      const at = Date.now();
      await produceAll(producer, names, slice);
      // One event in ten is followed to the index.
      slice.forEach((message, i) => {
        if ((from + i) % 10 === 0) sent.set(message.ids[0], at);
      });
      const due = started + ((from + slice.length) / rate) * 1000;
      if (due > Date.now()) await sleep(due - Date.now());
    }
    producing = false;
    const deadline = Date.now() + 60_000;
    while (sent.size > 0 && Date.now() < deadline) await sleep(100);
    await poller;
    await producer.disconnect();
    latencies.sort((a, b) => a - b);
    return {
      ratePerSecond: Math.round(rate),
      sampled: latencies.length,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: latencies[latencies.length - 1],
      lost: sent.size,
    };
  } finally {
    await stopProcess(ingest);
    await removeBenchData(admin, es, names);
    await admin.disconnect();
    await es.close();
  }
}

async function main() {
  progress(`generating ${EVENTS} messages`);
  const workload = mixedEvents(EVENTS);
  const receivedAt = new Date();
  const documents = storedDocuments(workload, receivedAt);
  const bytes = workload.reduce((sum, message) => sum + message.value.length, 0);
  progress(`${documents.length} events, ${Math.round(bytes / 1024 / 1024)} MiB; warming Elasticsearch up`);
  await measureRawBulk(documents.slice(0, 20_000), 'warmup');
  progress('Cairn end to end');
  const stream = MODE !== 'drain';
  const cairn = stream ? await measureCairn(workload, documents.length, ingestSettings) : undefined;
  if (cairn) {
    Object.assign(cairn, {
      cpuSecondsPer1000Events: cpuSecondsPer1000(cairn.coresUsed, cairn.seconds, documents.length),
    });
    progress(`Cairn streaming: ${cairn.eps} events/s`);
  }
  const drain =
    MODE !== 'stream' ? await measureCairnDrain(workload, documents.length, ingestSettings) : undefined;
  if (drain) progress(`Cairn draining: ${drain.eps} events/s${SECURE ? '; Cairn over TLS and SASL' : ''}`);
  const reference = (drain ?? cairn)!;
  const secure = SECURE
    ? await measureCairn(workload, documents.length, { ...ingestSettings, ...secureEnvironment() })
    : undefined;
  if (secure) progress(`Cairn secure: ${secure.eps} events/s; raw _bulk`);
  else progress('raw _bulk');
  const raw = await measureRawBulk(documents);
  progress(`raw _bulk: ${raw.eps} events/s; freshness at half rate`);
  const freshness = await measureFreshness(
    workload,
    (reference.eps * (workload.length / documents.length)) / 2,
  );
  const ratio = +(reference.eps / raw.eps).toFixed(3);
  const perEvent = drain?.cpuSecondsPer1000Events;
  const cpuRatio = perEvent ? +(perEvent.ingest / perEvent.elasticsearch).toFixed(3) : undefined;
  const freshnessTargetMs = (refreshSeconds + 2) * 1000;
  console.log(
    JSON.stringify(
      {
        benchmark: 'ingest',
        messages: workload.length,
        events: documents.length,
        rawMiB: +(bytes / 1024 / 1024).toFixed(1),
        settings: { bulkMaxEvents: BULK_EVENTS, concurrency: CONCURRENCY, refreshInterval: REFRESH },
        mode: MODE,
        e2eEps: reference.eps,
        rawBulkEps: raw.eps,
        // Since 2026-12-07; before, the raw side sent the normalized documents only.
        rawDocuments: 'as stored: tags, source position, chain link (not identity claims)',
        ratio,
        ...(cairn && { streamRatio: +(cairn.eps / raw.eps).toFixed(3) }),
        ...(cpuRatio !== undefined && { ingestCpuPerEventToElasticsearchCpuPerDocument: cpuRatio }),
        peakRssMb: reference.peakRssMb,
        ...(secure && {
          secure: {
            e2eEps: secure.eps,
            ratioToPlain: +(secure.eps / reference.eps).toFixed(3),
            peakRssMb: secure.peakRssMb,
            cpuPercent: secure.cpuPercent,
          },
        }),
        p99FreshnessMs: freshness.p99Ms,
        cairn,
        drain,
        raw,
        freshness,
        targets: {
          ratio: { want: '>= 0.9', met: ratio >= 0.9, measuredIn: drain ? 'drain' : 'stream' },
          ...(cpuRatio !== undefined && {
            ingestCpuToElasticsearchCpu: { want: '<= 0.3', met: cpuRatio <= 0.3 },
          }),
          peakRssMb: { want: '<= 300', met: reference.peakRssMb <= 300 },
          p99FreshnessMs: { want: `<= ${freshnessTargetMs}`, met: freshness.p99Ms <= freshnessTargetMs },
        },
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
