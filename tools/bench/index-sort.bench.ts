import type { AuditEventDocument } from '@cairn/event-schema';
import { buildIndexTemplate, installIndexTemplate } from '@cairn/elasticsearch-store';
import { chainOf, GENESIS, nextLink, withLink, type ChainHead } from '@cairn/integrity';
import { normalizeRawEvent } from '@cairn/normalizers';
import { mixedEvents } from '../../test/support/workload';
import { refreshAndCount } from './cairn-e2e';
import {
  benchNames,
  bulkIndex,
  cpuAccount,
  elasticsearch,
  kafka,
  progress,
  removeBenchData,
  benchStoreConfig,
} from './bench-support';

/**
 * `npm run bench:index-sort`: what sorting Cairn's indices by chain position (index-template:
 * `cairn.integrity.chain`, `cairn.integrity.seq`, so verification reads each chain where it lies)
 * costs at ingest. The same chained documents go straight to _bulk into indices with and without
 * the sort, alternated, best of BENCH_INDEX_SORT_ROUNDS each. Prints JSON: events/s, Elasticsearch
 * CPU per 1,000 documents, and the ratio sorted ÷ unsorted. No target: the sort is a trade, paid
 * once per event here and repaid by every verification that reads it (bench:verify's
 * Elasticsearch CPU); the README weighs the two.
 */
const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_INDEX_SORT_ROUNDS ?? 2);
const BULK_EVENTS = 2000;
const CONCURRENCY = 3;
const CHAINS = 9;

/** Linked as ingest links them: one chain per raw partition, positions in arrival order. */
function chained(documents: AuditEventDocument[]): AuditEventDocument[] {
  const heads: ChainHead[] = Array.from({ length: CHAINS }, () => GENESIS);
  return documents.map((document, at) => {
    const partition = at % CHAINS;
    const link = nextLink(chainOf('bench.raw', partition), heads[partition], document);
    heads[partition] = link;
    return withLink(document, link);
  });
}

async function load(documents: readonly AuditEventDocument[], sorted: boolean) {
  const names = benchNames(sorted ? 'sorted' : 'unsorted');
  const es = elasticsearch();
  const admin = kafka().admin();
  await admin.connect();
  try {
    const config = benchStoreConfig(names.indexPrefix);
    await installIndexTemplate(es, config);
    if (!sorted) {
      const template = buildIndexTemplate(config);
      const { sort: _sort, ...settings } = template.template!.settings as Record<string, unknown>;
      await es.indices.putIndexTemplate({ ...template, template: { ...template.template, settings } });
    }
    const cpu = cpuAccount();
    const started = process.hrtime.bigint();
    await bulkIndex(es, names.indexPrefix, documents, { bulkEvents: BULK_EVENTS, concurrency: CONCURRENCY });
    const count = await refreshAndCount(es, names);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cores = cpu.stop();
    if (count !== documents.length) throw new Error(`stored ${count} of ${documents.length}`);
    return {
      seconds,
      eps: Math.round(documents.length / seconds),
      elasticsearchCpuMsPer1000: Math.round(((cores.elasticsearch * seconds) / documents.length) * 1e6),
    };
  } finally {
    await removeBenchData(admin, es, names);
    await admin.disconnect();
    await es.close();
  }
}

async function main() {
  const receivedAt = new Date();
  const documents = chained(
    mixedEvents(EVENTS).flatMap((message) => normalizeRawEvent({ bytes: message.value, receivedAt })),
  );
  progress(`${documents.length} chained documents; warming Elasticsearch up`);
  await load(documents.slice(0, 20_000), true);
  const runs: { sorted: boolean; seconds: number; eps: number; elasticsearchCpuMsPer1000: number }[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const sorted of round % 2 === 0 ? [true, false] : [false, true]) {
      const run = await load(documents, sorted);
      progress(`${sorted ? 'sorted' : 'unsorted'}: ${run.eps} events/s`);
      runs.push({ sorted, ...run });
    }
  }
  const best = (sorted: boolean) =>
    runs.filter((run) => run.sorted === sorted).reduce((a, b) => (a.eps >= b.eps ? a : b));
  const ratio = +(best(true).eps / best(false).eps).toFixed(3);
  console.log(
    JSON.stringify(
      {
        benchmark: 'index-sort',
        events: documents.length,
        sortedEps: best(true).eps,
        unsortedEps: best(false).eps,
        ratio,
        sortedElasticsearchCpuMsPer1000: best(true).elasticsearchCpuMsPer1000,
        unsortedElasticsearchCpuMsPer1000: best(false).elasticsearchCpuMsPer1000,
        addedElasticsearchCpuMsPer1000:
          best(true).elasticsearchCpuMsPer1000 - best(false).elasticsearchCpuMsPer1000,
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
