import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accessRecordsOf } from '../support/access-records';
import { startCairn, type CairnUnderTest } from '../support/cairn-under-test';
import { graphql, newToken } from '../support/graphql-client';
import { eventually, isolatedNames, REPO } from '../support/local-stack';

/**
 * What one caller can make the store hold or compute is bounded: open points in time per token,
 * histogram buckets with or without from/to. Input no calendar holds is the caller's mistake
 * (BAD_USER_INPUT), never an internal error.
 */
const names = isolatedNames('caller-bounds');
const alice = newToken('e2e-bounds-alice', 'investigator');
const bob = newToken('e2e-bounds-bob', 'investigator');
const exec = JSON.parse(
  readFileSync(join(REPO, 'libs/normalizers/src/kubernetes-audit/fixtures/v1-pods-exec.json'), 'utf8'),
) as Record<string, unknown>;
const EVENTS = 30;
const MAX_OPEN = 2;

type Page = { events: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string } } };
const PAGE =
  'query Page($after: String) { events(first: 5, after: $after, filter: { products: ["kubernetes"] }) { totalCount pageInfo { hasNextPage endCursor } } }';

let cairn: CairnUnderTest;

beforeAll(async () => {
  cairn = await startCairn(names, {
    CAIRN_API_TOKENS: JSON.stringify([alice.entry, bob.entry]),
    CAIRN_API_MAX_OPEN_PAGINGS: String(MAX_OPEN),
  });
  // Thirty events spread over two months, so an unbounded histogram spans millions of seconds.
  const messages = Array.from({ length: EVENTS }, (_, i) => {
    const at = new Date(Date.UTC(2026, 2, 1 + i * 2, 12, 0, i)).toISOString();
    return {
      value: JSON.stringify({
        ...exec,
        auditID: `${String(i).padStart(8, '0')}-6a7c-4c55-9d7e-2b1c0e9a4f10`,
        requestReceivedTimestamp: at,
        stageTimestamp: at,
      }),
    };
  });
  await cairn.producer.send({ topic: names.topics.orchestrator, acks: -1, messages });
  await eventually(async () => {
    const page = await graphql<Page>(cairn.api.baseUrl, alice.token, PAGE);
    return page.data?.events.totalCount === EVENTS ? true : undefined;
  }, 'the events to be stored');
});

afterAll(async () => cairn?.stop());

describe('open pagings per caller', () => {
  it(`closes a caller's least recently used point in time beyond ${MAX_OPEN}, and only that caller's`, async () => {
    const first = async (token: string) =>
      (await graphql<Page>(cairn.api.baseUrl, token, PAGE)).data!.events.pageInfo;
    const next = (token: string, after: string) => graphql<Page>(cairn.api.baseUrl, token, PAGE, { after });
    const bobs = await first(bob.token);
    const opened = [await first(alice.token), await first(alice.token), await first(alice.token)];
    expect(opened.every((page) => page.hasNextPage)).toBe(true);

    const oldest = await next(alice.token, opened[0].endCursor);
    expect(oldest.errors?.[0]).toMatchObject({
      message: expect.stringMatching(
        /expired .* or was closed because this caller opened more than 2 pagings/,
      ),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    for (const page of opened.slice(1))
      expect((await next(alice.token, page.endCursor)).errors).toBeUndefined();
    expect((await next(bob.token, bobs.endCursor)).errors).toBeUndefined();
  });
});

it('refuses a cursor presented by another caller than the one it was issued to', async () => {
  const page = await graphql<Page>(cairn.api.baseUrl, alice.token, PAGE);
  const stolen = await graphql<Page>(cairn.api.baseUrl, bob.token, PAGE, {
    after: page.data!.events.pageInfo.endCursor,
  });
  expect(stolen.errors?.[0]).toMatchObject({
    message: 'after: this cursor was issued to another caller',
    extensions: { code: 'BAD_USER_INPUT' },
  });
  const own = await graphql<Page>(cairn.api.baseUrl, alice.token, PAGE, {
    after: page.data!.events.pageInfo.endCursor,
  });
  expect(own.errors).toBeUndefined();
});

describe('histograms', () => {
  const histogram = (filter: string) =>
    graphql<{ eventHistogram: { count: number }[] }>(
      cairn.api.baseUrl,
      alice.token,
      `{ eventHistogram(interval: "1s"${filter}) { count } }`,
    );

  it.each([
    ['neither from nor to', ''],
    ['only from', ', filter: { from: "2026-03-01T00:00:00Z" }'],
    ['only to', ', filter: { to: "2026-06-01T00:00:00Z" }'],
  ])('are bounded with %s', async (_label, filter) => {
    const answer = await histogram(filter);
    expect(answer.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^interval: the range holds \d+ intervals; at most 10000/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('answer every event when the range fits', async () => {
    const answer = await graphql<{ eventHistogram: { count: number }[] }>(
      cairn.api.baseUrl,
      alice.token,
      '{ eventHistogram(interval: "1d", filter: { products: ["kubernetes"] }) { count } }',
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.eventHistogram.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(EVENTS);
  });
});

describe('impossible dates and offsets', () => {
  it.each([
    '2026-02-30T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T00:60:00Z',
    '2026-01-01T00:00:00+25:00',
    '2026-01-01T00:00:00+01:75',
    '+275760-09-14T00:00:00Z',
    '2026-01-01',
    'yesterday',
  ])('%s is BAD_USER_INPUT, in a variable and in the query text, and recorded so', async (value) => {
    const byVariable = await fetch(`${cairn.api.baseUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${alice.token}`,
        'user-agent': `bounds-date/${value}`,
      },
      body: JSON.stringify({
        query: 'query At($from: DateTime) { events(filter: { from: $from }) { totalCount } }',
        variables: { from: value },
      }),
    }).then((response) => response.json() as Promise<{ errors?: { extensions?: { code?: string } }[] }>);
    expect(byVariable.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const inline = await graphql(
      cairn.api.baseUrl,
      alice.token,
      `{ eventHistogram(interval: "1h", filter: { to: ${JSON.stringify(value)} }) { count } }`,
    );
    expect(inline.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const [record] = await accessRecordsOf(names.indexPrefix, `bounds-date/${value}`);
    expect(record.cairn.api.error_code).toBe('BAD_USER_INPUT');
  });
});
