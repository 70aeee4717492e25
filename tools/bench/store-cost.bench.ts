import type { Client } from '@elastic/elasticsearch';
import type { AuditEventDocument } from '@cairn/event-schema';
import { BulkWriter } from '@cairn/elasticsearch-store';
import { normalizeRawEvent } from '@cairn/normalizers';
import { mixedEvents } from '../../test/support/workload';
import { measureLoad } from './cairn-e2e';
import { storedDocuments } from './stored-form';
import { bulkIndex, progress, type BenchNames } from './bench-support';

/**
 * `npm run bench:store-cost`: what Elasticsearch spends per event on each part of what Cairn
 * stores, side by side in one run. The same events go to `_bulk` as normalized documents (what
 * bench:ingest's raw side sent until 2026-12-07), as stored documents (compliance tags, source
 * position and chain link added: what it sends now; the index sort's share is bench:index-sort's), and as
 * stored documents through Cairn's BulkWriter (each id also claimed in the identity index, in the
 * same request). Elasticsearch's CPU seconds per 1,000 events, from /proc, say how much of
 * end-to-end ingest's cost is Elasticsearch's own work for Cairn's guarantees, which no change to
 * the ingest process can remove. Rounds alternate the variants' order.
 */
const MESSAGES = Number(process.env.BENCH_EVENTS ?? 60_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const BULK_EVENTS = 2000;
const CONCURRENCY = 3;
const REFRESH = '5s';

type Load = (es: Client, names: BenchNames) => Promise<void>;

interface Variant {
  readonly name: string;
  readonly documents: readonly AuditEventDocument[];
  readonly load: Load;
}

async function measure(variant: Variant) {
  const label = `cost-${variant.name.toLowerCase()}`;
  const run = await measureLoad(label, variant.documents.length, variant.load, REFRESH);
  return { eps: run.eps, elasticsearchCpuSecondsPer1000: run.cpuSecondsPer1000Events.elasticsearch ?? 0 };
}

const rawBulk =
  (documents: readonly AuditEventDocument[]): Load =>
  (es, names) =>
    bulkIndex(es, names.indexPrefix, documents, { bulkEvents: BULK_EVENTS, concurrency: CONCURRENCY });

/** Through Cairn's writer: each id claimed in the identity index in the same request. */
const withClaims =
  (documents: readonly AuditEventDocument[]): Load =>
  async (es, names) => {
    const writer = new BulkWriter(es, names.indexPrefix, { claimIdentities: true });
    let next = 0;
    const worker = async () => {
      while (next < documents.length) {
        const slice = documents.slice(next, next + BULK_EVENTS);
        next += slice.length;
        const results = await writer.write(slice);
        const failed = results.filter((result) => result.status !== 'created');
        if (failed.length > 0) throw new Error(`writer: ${failed.length} not created`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  };

async function main() {
  progress(`generating ${MESSAGES} messages`);
  const messages = mixedEvents(MESSAGES);
  const receivedAt = new Date();
  const normalized = messages.flatMap((message) => normalizeRawEvent({ bytes: message.value, receivedAt }));
  const stored = storedDocuments(messages, receivedAt);
  const variants: Variant[] = [
    { name: 'normalized', documents: normalized, load: rawBulk(normalized) },
    { name: 'stored', documents: stored, load: rawBulk(stored) },
    { name: 'storedWithIdentityClaims', documents: stored, load: withClaims(stored) },
  ];
  progress('warming Elasticsearch up');
  await measure({
    ...variants[0],
    documents: normalized.slice(0, 20_000),
    load: rawBulk(normalized.slice(0, 20_000)),
  });
  const runs: Record<string, { eps: number; elasticsearchCpuSecondsPer1000: number }[]> = {};
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const variant of round % 2 === 0 ? variants : [...variants].reverse()) {
      const result = await measure(variant);
      progress(`${variant.name}: ${JSON.stringify(result)}`);
      (runs[variant.name] ??= []).push(result);
    }
  }
  const mean = (name: string, key: 'eps' | 'elasticsearchCpuSecondsPer1000') =>
    runs[name].reduce((sum, run) => sum + run[key], 0) / runs[name].length;
  const base = mean('normalized', 'elasticsearchCpuSecondsPer1000');
  console.log(
    JSON.stringify(
      {
        benchmark: 'store-cost',
        messages: MESSAGES,
        events: normalized.length,
        rounds: ROUNDS,
        // Elasticsearch CPU per event for each variant over that for normalized documents.
        elasticsearchCpuOverNormalized: Object.fromEntries(
          variants.map((v) => [v.name, +(mean(v.name, 'elasticsearchCpuSecondsPer1000') / base).toFixed(2)]),
        ),
        runs,
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
