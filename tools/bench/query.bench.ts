import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from '@elastic/elasticsearch';
import { Pool } from 'undici';
import { accessRecord, AccessAuditWriter } from '@cairn/access-audit';
import {
  createElasticsearchClient,
  EventAggregations,
  EventSearch,
  type EventSearchResult,
} from '@cairn/elasticsearch-store';
import {
  benchIntegrityKey,
  ELASTICSEARCH_URL,
  elasticsearch,
  KAFKA_BROKERS,
  percentile,
  progress,
  startBuiltApp,
  stopProcess,
  benchStoreConfig,
} from './bench-support';
import { newToken } from '../../test/support/graphql-client';
import {
  CONTAINERS,
  containerOf,
  DATASET_DAYS,
  DATASET_EVENTS,
  DATASET_PREFIX,
  DATASET_START_MS,
  ensureDataset,
  HUMANS,
  random,
} from './query-dataset';

/**
 * npm run bench:query: investigators' queries through Cairn's GraphQL API beside the very same
 * Elasticsearch requests sent straight to Elasticsearch, over a million stored events.
 *
 * For each sample the bench first runs the query through Cairn's own search library with a
 * recording client (untimed): that yields the exact requests the API will send. Then it times
 * the GraphQL call and a replay of those requests, alternating which goes first. The shard
 * request cache is off on the dataset's indices so neither side is answered from a cache the
 * other filled; Lucene's caches are warm for both.
 */
const EVENTS = DATASET_EVENTS;
const SAMPLES = Number(process.env.BENCH_QUERY_SAMPLES ?? 200);
const WARMUP = Number(process.env.BENCH_QUERY_WARMUP ?? 30);
const DAY_MS = 86_400_000;

const EVENT_FIELDS =
  'id timestamp action outcome message actor { name } kubernetes { verb resource namespace name } container { id name }';

interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly querystring?: Record<string, unknown> | string;
  readonly body?: unknown;
}

interface Case {
  readonly name: string;
  /** GraphQL query and variables for one sample, and the same query through the library. */
  draw(next: () => number): {
    query: string;
    variables: Record<string, unknown>;
    viaLibrary: () => Promise<unknown>;
    /** The figure both sides must agree on (total count, bucket count), read off each answer. */
    expected: (graphqlData: unknown) => unknown;
  };
}

function cases(search: EventSearch, aggregations: EventAggregations): Case[] {
  const dayIn = (next: () => number, days: number) =>
    DATASET_START_MS + Math.floor(next() * (DATASET_DAYS - days)) * DAY_MS + Math.floor(next() * DAY_MS);
  return [
    {
      name: 'eventsByActor',
      draw: (next) => {
        const actor = HUMANS[Math.floor(next() * HUMANS.length)];
        const from = new Date(dayIn(next, 1));
        const to = new Date(from.getTime() + DAY_MS);
        return {
          query: `query ByActor($filter: EventFilter!) { events(filter: $filter, first: 50) {
            totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${EVENT_FIELDS} } } } }`,
          variables: { filter: { actor, from: from.toISOString(), to: to.toISOString() } },
          viaLibrary: () => search.search({ filter: { actor, from, to }, first: 50, order: 'desc' }),
          expected: (data) => (data as { events: { totalCount: number } }).events.totalCount,
        };
      },
    },
    {
      name: 'containerTimeline',
      draw: (next) => {
        const containerId = containerOf(Math.floor(next() * CONTAINERS)).id;
        return {
          query: `query Life($id: String!) { containerTimeline(containerId: $id, first: 200) {
            totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${EVENT_FIELDS} } } } }`,
          variables: { id: containerId },
          viaLibrary: () => search.timeline({ containerId }, 200),
          expected: (data) =>
            (data as { containerTimeline: { totalCount: number } }).containerTimeline.totalCount,
        };
      },
    },
    {
      name: 'eventStatsByActor',
      draw: (next) => {
        const from = new Date(dayIn(next, 7));
        const to = new Date(from.getTime() + 7 * DAY_MS);
        return {
          query: `query Who($filter: EventFilter!) { eventStats(filter: $filter, field: ACTOR, size: 10) { key count } }`,
          variables: { filter: { from: from.toISOString(), to: to.toISOString() } },
          viaLibrary: () => aggregations.stats({ from, to }, 'actor', 10),
          expected: (data) => (data as { eventStats: { count: number }[] }).eventStats[0]?.count,
        };
      },
    },
  ];
}

/**
 * A paging's record is created under its handle, once: the replay creates its own under a new
 * handle (and later requests of the same sample read or change that one), so the direct side pays
 * the same writes without colliding with the recorded ones.
 */
function createdByQuery(querystring: RecordedRequest['querystring']): boolean {
  if (typeof querystring === 'string') return new URLSearchParams(querystring).get('op_type') === 'create';
  return querystring?.op_type === 'create';
}

function pagingHandles() {
  const fresh = new Map<string, string>();
  const pagings = `/${DATASET_PREFIX}.pagings/`;
  return (request: RecordedRequest): string => {
    const match = /^(.*\/)([^/]+)$/.exec(request.path);
    if (!request.path.startsWith(pagings) || !match) return request.path;
    const [, head, handle] = match;
    const creates =
      request.method !== 'GET' &&
      request.method !== 'DELETE' &&
      (head.endsWith('/_create/') || (head.endsWith('/_doc/') && createdByQuery(request.querystring)));
    if (creates) fresh.set(handle, randomUUID());
    return `${head}${fresh.get(handle) ?? handle}`;
  };
}

/** A client that keeps every request it sends, and the point in time ids it is given. */
function recordingClient() {
  const client = new Client({ node: ELASTICSEARCH_URL, maxRetries: 0, requestTimeout: 120_000 });
  const requests: RecordedRequest[] = [];
  const pits: string[] = [];
  client.diagnostic.on('response', (_error, result) => {
    const params = result?.meta.request.params;
    if (!params) return;
    // Creating an index (the paging registry's, once per process) is set-up, not part of a query:
    // replayed it would fail, the index being there already.
    if (params.method === 'PUT' && !params.path.slice(1).includes('/')) return;
    requests.push({
      method: params.method,
      path: params.path,
      querystring: params.querystring,
      // Parsed back to an object, so the replay serializes it as the API's client does.
      body: typeof params.body === 'string' ? (JSON.parse(params.body) as unknown) : params.body,
    });
    const pit = (result?.body as { id?: unknown } | undefined)?.id;
    if (params.path.endsWith('/_pit') && typeof pit === 'string') pits.push(pit);
  });
  return { client, requests, pits };
}

async function closePits(client: Client, pits: string[]): Promise<void> {
  await Promise.all(pits.splice(0).map((id) => client.closePointInTime({ id }).catch(() => undefined)));
}

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    meanMs: round(sorted.reduce((a, b) => a + b, 0) / sorted.length),
  };
}

async function main(): Promise<void> {
  const es = elasticsearch();
  const config = benchStoreConfig(DATASET_PREFIX);
  const dataset = await ensureDataset(es, config, EVENTS);
  await es.indices.putSettings({
    index: `${DATASET_PREFIX}-*`,
    settings: { 'index.requests.cache.enable': false },
  });
  // The disk the dataset takes (primaries only: the bench's indices have no replica).
  const stats = await es.indices.stats({ index: `${DATASET_PREFIX}-*`, metric: 'store' });
  const storeBytes = stats._all.primaries?.store?.size_in_bytes ?? 0;

  const { token, entry } = newToken('bench-query', 'investigator');
  const api = await startBuiltApp(
    'api',
    {
      KAFKA_BROKERS,
      ELASTICSEARCH_URL,
      ELASTICSEARCH_INDEX_PREFIX: DATASET_PREFIX,
      CAIRN_API_TOKENS: JSON.stringify([entry]),
      CAIRN_API_RATE_LIMIT_PER_MINUTE: '1000000',
      CAIRN_CURSOR_SECRET: randomBytes(32).toString('hex'),
      CAIRN_LOG_LEVEL: 'warn',
      CAIRN_INTEGRITY_KEY_FILE: benchIntegrityKey(),
      // e.g. BENCH_API_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to see where the API spends it.
    },
    (process.env.BENCH_API_NODE_FLAGS ?? '').split(' ').filter(Boolean),
  );
  const apiPool = new Pool(api.baseUrl, { connections: 4 });
  const recorder = recordingClient();
  // The replay goes out through a client configured exactly as the API's.
  const direct = createElasticsearchClient(config);
  const directPits: string[] = [];
  // The one write the API adds to every answer: its access record, stored before the answer leaves.
  const recordWriter = new AccessAuditWriter(direct, config);
  const recordWrites: number[] = [];
  const apiFloor: number[] = [];
  const timeRecordWrite = async (query: string, variables: unknown) => {
    const started = performance.now();
    await recordWriter.record(
      accessRecord({
        requestId: randomUUID(),
        at: new Date(),
        principal: { name: 'bench-query-baseline', role: 'investigator' },
        clientAddress: '127.0.0.1',
        operation: 'baseline',
        query,
        variables,
        resultCount: 50,
      }),
    );
    return performance.now() - started;
  };
  const results: Record<string, unknown> = {};
  let disagreements = 0;
  try {
    const next = random(4242);
    for (const benchCase of cases(
      new EventSearch(recorder.client, DATASET_PREFIX),
      new EventAggregations(recorder.client, DATASET_PREFIX),
    )) {
      progress(`${benchCase.name}: ${WARMUP} warm-up + ${SAMPLES} samples`);
      const viaApi: number[] = [];
      const viaDirect: number[] = [];
      for (let sample = 0; sample < WARMUP + SAMPLES; sample += 1) {
        const drawn = benchCase.draw(next);
        recorder.requests.length = 0;
        const libraryAnswer = await drawn.viaLibrary();
        const requests = [...recorder.requests];
        await closePits(es, recorder.pits);

        const timeApi = async () => {
          const started = performance.now();
          const answer = await postGraphQL(apiPool, token, drawn.query, drawn.variables);
          const elapsed = performance.now() - started;
          return { elapsed, figure: drawn.expected(answer.data) };
        };
        const timeDirect = async () => {
          const pathOf = pagingHandles();
          const started = performance.now();
          for (const request of requests) {
            const body = await direct.transport.request<{ id?: string }>(
              {
                method: request.method,
                path: pathOf(request),
                querystring: request.querystring as Record<string, string> | undefined,
                body: request.body as Record<string, unknown> | undefined,
              },
              // Closing a caller's oldest paging, the library reads its record and deletes it and its
              // point in time, a 404 taken as "gone already" (here the recording side removed them
              // first); the replay takes it so too.
              request.method === 'DELETE' || (request.method === 'GET' && request.path.includes('.pagings/'))
                ? { ignore: [404] }
                : undefined,
            );
            if (request.path.endsWith('/_pit') && body?.id) directPits.push(body.id);
          }
          return performance.now() - started;
        };
        let apiRun: { elapsed: number; figure: unknown };
        let directMs: number;
        if (sample % 2 === 0) {
          apiRun = await timeApi();
          directMs = await timeDirect();
        } else {
          directMs = await timeDirect();
          apiRun = await timeApi();
        }
        await closePits(direct, directPits);
        const recordMs = await timeRecordWrite(drawn.query, drawn.variables);
        const floorStarted = performance.now();
        await postGraphQL(apiPool, token, '{ __typename }', {});
        const floorMs = performance.now() - floorStarted;
        if (apiRun.figure !== libraryFigure(benchCase.name, libraryAnswer)) disagreements += 1;
        if (sample >= WARMUP) {
          viaApi.push(apiRun.elapsed);
          viaDirect.push(directMs);
          recordWrites.push(recordMs);
          apiFloor.push(floorMs);
        }
      }
      const graphql = summary(viaApi);
      const straight = summary(viaDirect);
      results[benchCase.name] = {
        graphql,
        direct: straight,
        ratioP50: Math.round((graphql.p50Ms / straight.p50Ms) * 100) / 100,
        ratioP95: Math.round((graphql.p95Ms / straight.p95Ms) * 100) / 100,
        elasticsearchRequestsPerQuery: recorder.requests.length,
      };
    }
  } finally {
    await stopProcess(api.child);
    await Promise.all([recorder.client.close(), direct.close(), es.close(), apiPool.close()]);
  }
  const byActor = results.eventsByActor as { graphql: { p95Ms: number } };
  const ratios = Object.values(results).map((result) => (result as { ratioP95: number }).ratioP95);
  process.stdout.write(
    `${JSON.stringify(
      {
        bench: 'query',
        events: EVENTS,
        dataset: {
          prefix: DATASET_PREFIX,
          loadedThisRun: dataset.loaded,
          loadSeconds: dataset.seconds,
          storeGiB: +(storeBytes / 1024 ** 3).toFixed(2),
        },
        samplesPerQuery: SAMPLES,
        answersDisagreeing: disagreements,
        queries: results,
        // What the API adds by design: one durable write per answer (translog fsync included).
        accessRecordWrite: summary(recordWrites),
        // An answer with no search at all ({ __typename }): HTTP, auth, GraphQL, the access record.
        apiWithoutSearch: summary(apiFloor),
        targets: {
          graphqlP95AtMost125xDirect: ratios.every((ratio) => ratio <= 1.25),
          eventsByActorP95AtMost150Ms: byActor.graphql.p95Ms <= 150,
        },
      },
      null,
      2,
    )}\n`,
  );
  if (disagreements > 0) process.exitCode = 1;
}

/**
 * The API is asked through an undici pool, as the Elasticsearch client asks the direct side:
 * `fetch` costs about 2 ms more per request on these machines (WHATWG streams), which would be
 * charged to the API alone.
 */
async function postGraphQL(
  pool: Pool,
  token: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ data: unknown }> {
  const { statusCode, body } = await pool.request({
    path: '/graphql',
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const answer = (await body.json()) as { data?: unknown; errors?: unknown };
  if (statusCode !== 200 || answer.errors || !answer.data)
    throw new Error(`API answered ${statusCode} ${JSON.stringify(answer.errors)}`);
  return { data: answer.data };
}

function libraryFigure(name: string, answer: unknown): unknown {
  if (name === 'eventStatsByActor') return (answer as { count: number }[])[0]?.count;
  return (answer as EventSearchResult).totalCount;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
