import { createHash, randomBytes } from 'node:crypto';
import type { AuditEventDocument } from '@cairn/event-schema';
import { FORMATS, SIEM_FORMATS } from '@cairn/siem-formats';
import { goldenInputs } from '../../test/support/encoder-inputs';
import { mixedEvents } from '../../test/support/workload';
import {
  benchNames,
  connectProducer,
  drained,
  elasticsearch,
  ingestEnvironment,
  kafka,
  measured,
  produceAll,
  progress,
  removeBenchData,
  sleep,
  startBuiltApp,
  startIngest,
  stopProcess,
  waitForTopics,
} from './bench-support';

/**
 * The SIEM feed, measured side by side in one run, printed as JSON:
 * - per format, the encoder's cost per event beside JSON.stringify of the same stored document
 *   (target ≤ 3×), on every normalizer fixture's events, tagged;
 * - the pull export (GET /feed/v1/events, ecs, pages of 5,000) beside a raw Elasticsearch read of
 *   the same documents (point in time + search_after, same page size, same order): events/s and
 *   their ratio (target ≥ 0.8). BENCH_FEED_EVENTS messages are stored first (default 20,000).
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const MESSAGES = Number(process.env.BENCH_FEED_EVENTS ?? 20_000);
const PAGE = 5000;
// The API is started for the measurement: its first pages run cold code, so a few rounds are
// needed before either side is at its steady rate (best of each is kept).
const ROUNDS = Number(process.env.BENCH_FEED_ROUNDS ?? 5);

function nsPerEvent(
  work: (document: AuditEventDocument) => unknown,
  documents: readonly AuditEventDocument[],
): number {
  for (let i = 0; i < 2000; i += 1) work(documents[i % documents.length]);
  let count = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(SECONDS * 1e9);
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 500; i += 1) work(documents[(count + i) % documents.length]);
    count += 500;
    now = process.hrtime.bigint();
  }
  return Number(now - start) / count;
}

function encoders() {
  const documents = [...goldenInputs().values()].flatMap((inputs) =>
    inputs.flatMap((input) => input.documents),
  );
  const stringify = nsPerEvent((document) => JSON.stringify(document), documents);
  return Object.fromEntries(
    SIEM_FORMATS.map((format) => {
      const ns = nsPerEvent(
        (document) => FORMATS[format].encode(document, { hec: { index: 'audit' } }),
        documents,
      );
      return [
        format,
        {
          nsPerEvent: Math.round(ns),
          jsonStringifyNsPerEvent: Math.round(stringify),
          ratio: +(ns / stringify).toFixed(2),
        },
      ];
    }),
  );
}

async function exportAll(baseUrl: string, token: string): Promise<number> {
  let after: string | undefined;
  let events = 0;
  for (;;) {
    const query = new URLSearchParams({ format: 'ecs', limit: String(PAGE), ...(after && { after }) });
    const response = await fetch(`${baseUrl}/feed/v1/events?${query.toString()}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (response.status !== 200)
      throw new Error(`export answered ${response.status}: ${await response.text()}`);
    const body = await response.text();
    const next = response.headers.get('cairn-next-cursor')!;
    const lines = body === '' ? 0 : body.split('\n').length - 1;
    events += lines;
    if (lines === 0 && next === after) return events;
    after = next;
  }
}

async function rawRead(indexPrefix: string): Promise<number> {
  const es = elasticsearch();
  const pit = await es.openPointInTime({ index: `${indexPrefix}-*`, keep_alive: '2m' });
  let events = 0;
  let searchAfter: unknown[] | undefined;
  try {
    for (;;) {
      const page = await es.search<AuditEventDocument>({
        pit: { id: pit.id, keep_alive: '2m' },
        size: PAGE,
        sort: [
          { 'cairn.position.topic': 'asc' },
          { 'cairn.position.partition': 'asc' },
          { 'cairn.position.offset': 'asc' },
          { 'cairn.position.item': 'asc' },
        ],
        track_total_hits: false,
        ...(searchAfter && { search_after: searchAfter as never }),
      });
      const hits = page.hits.hits;
      if (hits.length === 0) return events;
      // Same work per event as the export's answer: each document as one JSON line.
      events += hits.map((hit) => JSON.stringify(hit._source)).length;
      searchAfter = hits[hits.length - 1].sort;
    }
  } finally {
    await es.closePointInTime({ id: pit.id });
    await es.close();
  }
}

async function exportVersusRaw() {
  const names = benchNames('feed');
  const admin = kafka().admin();
  await admin.connect();
  const es = elasticsearch();
  const token = `cairn_${randomBytes(24).toString('base64url')}`;
  const sha256 = createHash('sha256').update(token).digest('hex');
  const env = ingestEnvironment(names, {
    CAIRN_API_TOKENS: JSON.stringify([{ name: 'bench-siem', role: 'siem', sha256 }]),
    CAIRN_CURSOR_SECRET: randomBytes(32).toString('hex'),
    CAIRN_API_RATE_LIMIT_PER_MINUTE: '1000000',
    CAIRN_MAX_EVENT_AGE_DAYS: '3650',
  });
  const ingest = await startIngest(env);
  try {
    await waitForTopics(admin, names);
    const producer = await connectProducer();
    progress(`storing ${MESSAGES} messages`);
    await produceAll(producer, names, mixedEvents(MESSAGES, { seed: names.group }));
    await producer.disconnect();
    while (!(await drained(admin, names))) await sleep(500);
    // Everything is stored: ingest would only compete with both sides for the two cores.
    await stopProcess(ingest);
    await es.indices.refresh({ index: `${names.indexPrefix}-*` });
    const stored = (await es.count({ index: `${names.indexPrefix}-*` })).count;
    // BENCH_API_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the API's side.
    const apiFlags = (process.env.BENCH_API_NODE_FLAGS ?? '').split(' ').filter(Boolean);
    const api = await startBuiltApp('api', env, apiFlags);
    try {
      // Alternated, each ROUNDS times (best of each kept), so neither side gets the warmer caches.
      const runs: {
        exportSeconds: number;
        rawSeconds: number;
        exportCores: Record<string, number>;
        rawCores: Record<string, number>;
        exported: number;
        read: number;
      }[] = [];
      const apiProcess = { label: 'api', pid: api.child.pid! };
      for (let round = 0; round < ROUNDS; round += 1) {
        const exporting = await measured(() => exportAll(api.baseUrl, token), apiProcess);
        const reading = await measured(() => rawRead(names.indexPrefix), apiProcess);
        const [exportSeconds, rawSeconds] = [exporting.seconds, reading.seconds];
        const [exported, read] = [exporting.value, reading.value];
        const [exportCores, rawCores] = [exporting.cores, reading.cores];
        runs.push({ exportSeconds, rawSeconds, exportCores, rawCores, exported, read });
        progress(
          `round ${round + 1}: export ${exportSeconds.toFixed(2)} s, raw read ${rawSeconds.toFixed(2)} s`,
        );
      }
      const best = (key: 'exportSeconds' | 'rawSeconds') => Math.min(...runs.map((run) => run[key]));
      const exportRate = Math.round(runs[0].exported / best('exportSeconds'));
      const rawRate = Math.round(runs[0].read / best('rawSeconds'));
      return {
        stored,
        exported: runs[0].exported,
        pageSize: PAGE,
        exportEventsPerSecond: exportRate,
        rawReadEventsPerSecond: rawRate,
        ratio: +(exportRate / rawRate).toFixed(2),
        runs,
      };
    } finally {
      await stopProcess(api.child);
    }
  } finally {
    await stopProcess(ingest);
    // BENCH_FEED_KEEP=1 leaves the stored events for profiling (their index prefix goes to stderr).
    if (process.env.BENCH_FEED_KEEP === '1') progress(`kept ${names.indexPrefix}-* and ${names.group}`);
    else await removeBenchData(admin, es, names);
    await admin.disconnect();
    await es.close();
  }
}

async function main(): Promise<void> {
  const encoding = encoders();
  const exporting = process.env.BENCH_FEED_ENCODERS_ONLY === '1' ? undefined : await exportVersusRaw();
  process.stdout.write(`${JSON.stringify({ encoders: encoding, export: exporting }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
