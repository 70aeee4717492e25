import { createHash } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import type { ElasticsearchConfig } from '@cairn/config';
import { installIndexTemplate, monthlyIndexName } from '@cairn/elasticsearch-store';
import { normalizeRawEvent } from '@cairn/normalizers';
import type { AuditEventDocument } from '@cairn/event-schema';
import { mixedEvents } from '../../test/support/workload';
import { progress } from './bench-support';

/**
 * Thirteen months of a cluster's audit events for the query benchmark, loaded once and kept: documents
 * made by the real normalizers from every golden fixture, then given the identities a busy
 * cluster has: a few hundred actors (service accounts and nodes far busier than people), sixty
 * namespaces, twenty thousand containers in their pods, a pool of client addresses, thirteen months
 * of timestamps. Deterministic: the same version always holds the same events.
 */
export const DATASET_VERSION = 'v2';
const DEFAULT_EVENTS = 1_000_000;
/** How many events the dataset holds (`BENCH_QUERY_EVENTS`). */
export const DATASET_EVENTS = Number(process.env.BENCH_QUERY_EVENTS ?? DEFAULT_EVENTS);
/**
 * Each size has indices of its own: an event's position sets its time, and so its monthly index,
 * so a load of another size over the same indices would keep the old copies beside the new ones.
 * (`cairn-bench-query-v2n10000000`, never under `cairn-bench-query-v2-*`.) BENCH_QUERY_PREFIX
 * lets a trial run keep away from both.
 */
export const DATASET_PREFIX =
  process.env.BENCH_QUERY_PREFIX ??
  `cairn-bench-query-${DATASET_VERSION}${DATASET_EVENTS === DEFAULT_EVENTS ? '' : `n${DATASET_EVENTS}`}`;
// Thirteen months: a store that keeps the twelve PCI DSS 10.5.1 asks for, in thirteen monthly
// indices, so every query and paging runs against the number of indices a compliant store holds.
export const DATASET_DAYS = 395;
const DAY_MS = 86_400_000;
// A fixed end, so a reused dataset and a new one agree on every timestamp.
export const DATASET_END_MS = Date.UTC(2026, 10, 1);
export const DATASET_START_MS = DATASET_END_MS - DATASET_DAYS * DAY_MS;

export const HUMANS = Array.from({ length: 250 }, (_, i) => `user${String(i).padStart(3, '0')}@example.com`);
const MACHINES = [
  ...Array.from({ length: 40 }, (_, i) => `system:node:node-${String(i).padStart(2, '0')}`),
  ...['kube-scheduler', 'kube-controller-manager', 'apiserver'].map((name) => `system:${name}`),
  ...Array.from({ length: 120 }, (_, i) => `system:serviceaccount:ns-${i % 60}:app-${i}`),
];
export const NAMESPACES = Array.from({ length: 60 }, (_, i) => `ns-${i}`);
export const CONTAINERS = 20_000;

/** A seeded generator: the dataset and the sampled queries are the same on every run. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Index into a list where item k is about 1/(k+1) as likely as the first (Zipf, s = 1). */
function zipf(next: () => number, size: number): number {
  const harmonic = Math.log(size) + 0.5772;
  return Math.min(size - 1, Math.floor(Math.exp(next() * harmonic)) - 1);
}

const hex = (...parts: (string | number)[]) => createHash('sha256').update(parts.join('/')).digest('hex');

export function containerOf(index: number) {
  const namespace = NAMESPACES[index % NAMESPACES.length];
  const app = `app-${index % 120}`;
  return {
    id: hex('container', index),
    namespace,
    pod: `${app}-${hex('pod', index).slice(0, 10)}-${hex('rs', index).slice(0, 5)}`,
    name: app,
  };
}

function set(document: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = document;
  for (const key of keys.slice(0, -1)) {
    const child = node[key];
    if (typeof child !== 'object' || child === null) return;
    node = child as Record<string, unknown>;
  }
  if (keys.at(-1)! in node) node[keys.at(-1)!] = value;
}

function templates(): AuditEventDocument[] {
  const receivedAt = new Date(DATASET_END_MS);
  return mixedEvents(2_000, { startMs: DATASET_START_MS, stepMs: 1_000, seed: 'bench-query' }).flatMap(
    (message) => normalizeRawEvent({ bytes: message.value, receivedAt }),
  );
}

export function* datasetDocuments(count: number): Generator<AuditEventDocument> {
  const next = random(20_261_101);
  const base = templates();
  const step = (DATASET_DAYS * DAY_MS) / count;
  for (let i = 0; i < count; i += 1) {
    const document = structuredClone(base[i % base.length]) as unknown as Record<string, unknown>;
    const at = new Date(DATASET_START_MS + Math.floor(i * step + next() * step)).toISOString();
    set(document, '@timestamp', at);
    set(document, 'event.id', hex('bench-query', DATASET_VERSION, i));
    // Machines send about three events in four; people the rest.
    const actor = next() < 0.75 ? MACHINES[zipf(next, MACHINES.length)] : HUMANS[zipf(next, HUMANS.length)];
    set(document, 'user.name', actor);
    const container = containerOf(zipf(next, CONTAINERS));
    set(document, 'kubernetes.namespace', container.namespace);
    set(document, 'orchestrator.namespace', container.namespace);
    set(document, 'kubernetes.pod.name', container.pod);
    const product = (document.cairn as { product?: string } | undefined)?.product;
    set(document, 'container.id', product === 'falco' ? container.id.slice(0, 12) : container.id);
    set(document, 'container.short_id', container.id.slice(0, 12));
    set(document, 'container.name', container.name);
    const resource = (document.orchestrator as { resource?: { type?: string } } | undefined)?.resource;
    if (resource?.type === 'pods') set(document, 'orchestrator.resource.name', container.pod);
    set(document, 'source.ip', `10.${(i >> 16) & 3}.${(i >> 8) & 255}.${1 + zipf(next, 250)}`);
    yield document as unknown as AuditEventDocument;
  }
}

async function storedCount(client: Client): Promise<number> {
  const exists = await client.indices.exists({ index: `${DATASET_PREFIX}-*`, allow_no_indices: false });
  if (!exists) return 0;
  await client.indices.refresh({ index: `${DATASET_PREFIX}-*` });
  const { count } = await client.count({
    index: `${DATASET_PREFIX}-*`,
    query: { bool: { must_not: [{ term: { 'cairn.product': 'cairn' } }] } },
  });
  return count;
}

/**
 * Loads the dataset unless it is already there (same version, same count): the first run takes
 * a few minutes, the next ones none. Documents are bulk-indexed with their ids, so a run stopped
 * half way is completed, not doubled, by the next.
 */
export async function ensureDataset(
  client: Client,
  config: ElasticsearchConfig,
  count: number,
): Promise<{ loaded: boolean; seconds: number }> {
  const started = Date.now();
  if ((await storedCount(client)) === count) return { loaded: false, seconds: 0 };
  await installIndexTemplate(client, config);
  progress(`loading ${count.toLocaleString()} events into ${DATASET_PREFIX}-* (kept for later runs)`);
  const batch: AuditEventDocument[] = [];
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  const flush = async (documents: AuditEventDocument[]) => {
    const operations = documents.flatMap((document) => [
      { index: { _index: monthlyIndexName(DATASET_PREFIX, document['@timestamp']), _id: document.event.id } },
      document,
    ]);
    const response = await client.bulk({ operations, filter_path: 'errors,items.*.error' });
    if (response.errors) throw new Error(`bulk load failed: ${JSON.stringify(response.items?.[0])}`);
  };
  for (const document of datasetDocuments(count)) {
    batch.push(document);
    if (batch.length < 5_000) continue;
    const work = flush(batch.splice(0)).finally(() => inFlight.delete(work));
    inFlight.add(work);
    sent += 5_000;
    if (sent % 100_000 === 0) progress(`  ${sent.toLocaleString()} sent`);
    if (inFlight.size >= 2) await Promise.race(inFlight);
  }
  if (batch.length > 0) await flush(batch);
  await Promise.all(inFlight);
  const stored = await storedCount(client);
  if (stored !== count) throw new Error(`dataset holds ${stored} events, expected ${count}`);
  return { loaded: true, seconds: (Date.now() - started) / 1000 };
}
