import { startCairn, type CairnUnderTest } from './support/cairn-under-test';
import { graphql, newToken } from './support/graphql-client';
import { elasticsearch, eventually, isolatedNames } from './support/local-stack';
import { mixedEvents, type WorkloadMessage } from './support/workload';

/**
 * Paging is stable while events keep arriving: once a second page is asked for, the pages read a
 * point in time, so late events (with timestamps inside the range being paged) neither repeat nor
 * push others out, and totalCount stays the same from the first page to the last.
 */
const names = isolatedNames('paging');
const investigator = newToken('e2e-investigator', 'investigator');
const SOURCES = { sourceKinds: ['ORCHESTRATOR', 'RUNTIME', 'REGISTRY'] };
const start = Date.now() - 3 * 3600_000;
const first = mixedEvents(2000, { startMs: start, stepMs: 20, seed: 'first' });
// Interleaved with the first: every timestamp falls inside the range already being paged.
const late = mixedEvents(600, { startMs: start + 7, stepMs: 60, seed: 'late' });

const PAGE = `query($filter: EventFilter, $after: String) {
  events(filter: $filter, first: 500, after: $after, order: ASC) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id } }
  }
}`;
type Page = {
  events: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: { id: string } }[];
  };
};

let cairn: CairnUnderTest;

beforeAll(async () => {
  cairn = await startCairn(names, { CAIRN_API_TOKENS: JSON.stringify([investigator.entry]) });
});

afterAll(async () => {
  await cairn?.stop();
});

async function send(messages: readonly WorkloadMessage[]) {
  for (let from = 0; from < messages.length; from += 500) {
    await cairn.producer.send({
      topic: names.topics.orchestrator,
      acks: -1,
      messages: messages.slice(from, from + 500).map((message) => ({ value: message.value })),
    });
  }
}

const count = async () =>
  (await graphql<Page>(cairn.api.baseUrl, investigator.token, PAGE, { filter: SOURCES })).data!.events
    .totalCount;

it('pages through 2,000+ events with no gap and no repeat while late events arrive', async () => {
  const expected = new Set(first.flatMap((message) => message.ids));
  const arriving = new Set(late.flatMap((message) => message.ids));
  expect(expected.size).toBeGreaterThan(2000);
  await send(first);
  await eventually(
    async () => ((await count()) === expected.size ? true : undefined),
    'the first events',
    120_000,
  );

  const seen: string[] = [];
  const totals: number[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const page: Page = (
      await graphql<Page>(cairn.api.baseUrl, investigator.token, PAGE, { filter: SOURCES, after })
    ).data!;
    seen.push(...page.events.edges.map((edge) => edge.node.id));
    totals.push(page.events.totalCount);
    after = page.events.pageInfo.hasNextPage ? page.events.pageInfo.endCursor : null;
    pages += 1;
    if (pages === 1) {
      // Late events land between the first page and the rest.
      await send(late);
      await eventually(
        async () => ((await count()) === expected.size + arriving.size ? true : undefined),
        'the late events',
        120_000,
      );
    }
  } while (after);

  expect(pages).toBeGreaterThanOrEqual(5);
  expect(new Set(seen).size).toBe(seen.length); // no repeats
  expect(new Set(seen)).toEqual(expected); // no gaps, and none of the late ones
  expect(new Set(totals)).toEqual(new Set([expected.size]));
  expect(await count()).toBe(expected.size + arriving.size);
});

it('refuses a cursor that was changed', async () => {
  const page = await graphql<Page>(cairn.api.baseUrl, investigator.token, PAGE, { filter: SOURCES });
  const cursor = page.data!.events.pageInfo.endCursor!;
  const [payload, mac] = cursor.split('.');
  const forged = `${Buffer.from(Buffer.from(payload, 'base64url').toString().replace(/\d/, '9')).toString('base64url')}.${mac}`;
  const refused = await graphql(cairn.api.baseUrl, investigator.token, PAGE, {
    filter: SOURCES,
    after: forged,
  });
  expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});

it('says so when the point in time behind a cursor expired, and the first page works again', async () => {
  const page = await graphql<Page>(cairn.api.baseUrl, investigator.token, PAGE, { filter: SOURCES });
  expect(page.data!.events.pageInfo.hasNextPage).toBe(true);
  const after = page.data!.events.pageInfo.endCursor!;
  // Expiry after two idle minutes, brought forward: Elasticsearch answers a closed point in
  // time as it answers an expired one (404 search_context_missing).
  const es = elasticsearch();
  try {
    const pagings = `${names.indexPrefix}.pagings`;
    await es.indices.refresh({ index: pagings });
    const open = await es.search<{ pit: string }>({ index: pagings, size: 100 });
    expect(open.hits.hits.length).toBeGreaterThan(0);
    for (const hit of open.hits.hits) await es.closePointInTime({ id: hit._source!.pit });
  } finally {
    await es.close();
  }
  const expired = await graphql<Page>(cairn.api.baseUrl, investigator.token, PAGE, {
    filter: SOURCES,
    after,
  });
  expect(expired.data).toBeNull();
  expect(expired.errors?.[0]).toMatchObject({
    extensions: { code: 'BAD_USER_INPUT' },
    message: expect.stringMatching(
      /^after: the cursor's point in time expired \(2 minutes without a page\) or was closed because this caller opened more than 20 pagings since; start again from the first page$/,
    ),
  });
  const again = await graphql<Page>(cairn.api.baseUrl, investigator.token, PAGE, { filter: SOURCES });
  expect(again.errors).toBeUndefined();
  expect(again.data!.events.edges).toHaveLength(500);
});
