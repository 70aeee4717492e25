import { createHash, randomUUID } from 'node:crypto';
import { accessRecordsOf, accessRecordsStoredNow } from '../support/access-records';
import { startCairn, type CairnUnderTest } from '../support/cairn-under-test';
import { newToken } from '../support/graphql-client';
import { isolatedNames } from '../support/local-stack';

/**
 * However a request to GraphQL is spelled — path, method, content type, where the operation is
 * named — it passes the one route policy: exactly one access record naming the operation that ran
 * and its query hash, a place in the caller's rate limit, and the price of what runs. What no
 * route serves, and what is refused before GraphQL, is recorded as a refusal with its code.
 */
const names = isolatedNames('route-policy');
const investigator = newToken('e2e-route-policy', 'investigator');
const limited = newToken('e2e-route-policy-limited', 'investigator');
const RATE_LIMIT = 60;

let cairn: CairnUnderTest;

beforeAll(async () => {
  cairn = await startCairn(names, {
    CAIRN_API_TOKENS: JSON.stringify([investigator.entry, limited.entry]),
    CAIRN_API_MAX_QUERY_COST: '5000',
    CAIRN_API_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
  });
});

afterAll(async () => cairn?.stop());

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const QUERY = '{ events(first: 1) { totalCount } }';

interface Sent {
  readonly status: number;
  readonly body: { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  readonly agent: string;
}

async function send(
  path: string,
  init: { method?: string; contentType?: string; body?: string; token?: string } = {},
): Promise<Sent> {
  const agent = `route-policy-probe/${randomUUID()}`;
  const headers: Record<string, string> = { 'user-agent': agent };
  if (init.contentType) headers['content-type'] = init.contentType;
  headers.authorization = `Bearer ${init.token ?? investigator.token}`;
  const response = await fetch(`${cairn.api.baseUrl}${path}`, {
    method: init.method ?? 'POST',
    headers,
    body: init.body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {}, agent };
}

const json = (body: unknown) => ({ contentType: 'application/json', body: JSON.stringify(body) });
const queryString = (params: Record<string, string>) => new URLSearchParams(params).toString();

describe('every spelling of the GraphQL route runs under its policy', () => {
  const spellings: [string, string, Parameters<typeof send>[1]][] = [
    ['plain POST', '/graphql', json({ query: QUERY })],
    ['a percent-encoded path', '/%67raph%71l', json({ query: QUERY })],
    ['a query string', '/graphql?via=proxy', json({ query: QUERY })],
    ['an empty query string', '/graphql?', json({ query: QUERY })],
    [
      'JSON with a charset',
      '/graphql',
      { contentType: 'application/json; charset=utf-8', body: JSON.stringify({ query: QUERY }) },
    ],
    ['application/graphql', '/graphql', { contentType: 'application/graphql', body: QUERY }],
    ['GET', `/graphql?${queryString({ query: QUERY })}`, { method: 'GET' }],
    ['GET on an encoded path', `/%67raphql?${queryString({ query: QUERY })}`, { method: 'GET' }],
  ];

  it.each(spellings)(
    '%s: answered, recorded once with the operation and query hash',
    async (_label, path, init) => {
      const sent = await send(path, init);
      expect(sent.status).toBe(200);
      expect(sent.body).toEqual({ data: { events: { totalCount: expect.any(Number) } } });
      // Stored before the answer left, so there without waiting; the outcome may follow it.
      const received = await accessRecordsStoredNow(names.indexPrefix, sent.agent, ['cairn.query_received']);
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({
        event: { outcome: 'unknown' },
        user: { name: 'e2e-route-policy' },
        cairn: { api: { route: 'graphql', query_sha256: sha256(QUERY) } },
      });
      const records = await accessRecordsOf(names.indexPrefix, sent.agent);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        event: { action: 'cairn.query', outcome: 'success' },
        user: { name: 'e2e-route-policy' },
        http: { request: { id: received[0].http!.request!.id } },
        cairn: { api: { route: 'graphql', operation: 'events', query_sha256: sha256(QUERY) } },
      });
    },
  );

  const refusals: [string, string, Parameters<typeof send>[1], number, string][] = [
    [
      'malformed JSON',
      '/graphql',
      { contentType: 'application/json', body: '{"query": ' },
      400,
      'BAD_REQUEST',
    ],
    ['a batch', '/graphql', json([{ query: QUERY }, { query: QUERY }]), 400, 'BAD_REQUEST'],
    ['text/plain', '/graphql', { contentType: 'text/plain', body: QUERY }, 400, 'BAD_REQUEST'],
    [
      'an unknown content type',
      '/graphql',
      { contentType: 'application/xml', body: '<q/>' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'a body over the limit',
      '/graphql',
      json({ query: QUERY, pad: 'x'.repeat(1_100_000) }),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    ['another method', '/graphql', { method: 'PUT', ...json({ query: QUERY }) }, 404, 'NOT_FOUND'],
    ['another case', '/GraphQL', json({ query: QUERY }), 404, 'NOT_FOUND'],
    ['a trailing slash', '/graphql/', json({ query: QUERY }), 404, 'NOT_FOUND'],
    ['a doubled slash', '//graphql', json({ query: QUERY }), 404, 'NOT_FOUND'],
  ];

  it.each(refusals)(
    '%s: refused with its code, and the refusal recorded once',
    async (_label, path, init, status, code) => {
      const sent = await send(path, init);
      expect(sent.status).toBe(status);
      expect(sent.body.errors?.[0].extensions?.code).toBe(code);
      const records = await accessRecordsOf(names.indexPrefix, sent.agent);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        event: { outcome: 'failure' },
        cairn: { api: { error_code: code } },
      });
      expect(records[0].cairn.api.route).toBe(status === 404 ? 'unmatched' : 'graphql');
    },
  );
});

describe('the operation that runs is the one priced and recorded', () => {
  const node = 'edges { node { id action actor { name } } }';
  const TWO = `query Cheap { events(first: 1) { totalCount } } query Costly { a: events(first: 500) { ${node} } b: events(first: 500) { ${node} } }`;

  it('prices the operation named in the query string of a GET', async () => {
    const sent = await send(`/graphql?${queryString({ query: TWO, operationName: 'Costly' })}`, {
      method: 'GET',
    });
    expect(sent.body.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    const [record] = await accessRecordsOf(names.indexPrefix, sent.agent);
    expect(record.cairn.api).toMatchObject({
      operation: 'Costly',
      query_sha256: sha256(TWO),
      error_code: 'QUERY_TOO_COMPLEX',
    });
  });

  it('prices the operation named in a POST body', async () => {
    const sent = await send('/graphql', json({ query: TWO, operationName: 'Costly' }));
    expect(sent.body.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    const cheap = await send('/graphql', json({ query: TWO, operationName: 'Cheap' }));
    expect(cheap.body).toEqual({ data: { events: { totalCount: expect.any(Number) } } });
    const [record] = await accessRecordsOf(names.indexPrefix, cheap.agent);
    expect(record.cairn.api).toMatchObject({ operation: 'Cheap', query_sha256: sha256(TWO) });
  });

  it('runs the operation asked for, even after another one of the same text was compiled', async () => {
    const both =
      'query Count { events(first: 1) { totalCount } } query Catalog { complianceFrameworks { id } }';
    for (let i = 0; i < 3; i += 1) {
      const count = await send('/graphql', json({ query: both, operationName: 'Count' }));
      expect(count.body.data).toEqual({ events: { totalCount: expect.any(Number) } });
    }
    const catalog = await send('/graphql', json({ query: both, operationName: 'Catalog' }));
    expect(catalog.body.data).toEqual({ complianceFrameworks: expect.any(Array) });
    const [record] = await accessRecordsOf(names.indexPrefix, catalog.agent);
    expect(record.cairn.api.operation).toBe('Catalog');
  });

  it('refuses an operation name the query does not hold, and several operations with none named', async () => {
    const missing = await send(
      '/graphql',
      json({ query: '{ events(first: 1) { totalCount } }', operationName: 'Other' }),
    );
    expect(missing.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const unnamed = await send('/graphql', json({ query: TWO }));
    expect(unnamed.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const [record] = await accessRecordsOf(names.indexPrefix, missing.agent);
    expect(record.cairn.api.error_code).toBe('BAD_USER_INPUT');
  });
});

it('counts every spelling against the same caller budget', async () => {
  const spellings = ['/graphql', '/%67raphql', '/graphql?x', '/GraphQL', '/graphql/'];
  const extra = 10;
  const started = Date.now();
  // At once, so hardly any of the budget refills meanwhile (it refills RATE_LIMIT a minute).
  const sent = await Promise.all(
    Array.from({ length: RATE_LIMIT + extra }, (_, i) =>
      send(spellings[i % spellings.length], { ...json({ query: QUERY }), token: limited.token }),
    ),
  );
  const refilled = Math.ceil(((Date.now() - started) / 60_000) * RATE_LIMIT);
  const limitedCount = sent.filter((answer) => answer.status === 429).length;
  // Were any spelling budgeted apart, each would stay far below the limit and nothing be refused.
  expect(limitedCount).toBeGreaterThanOrEqual(extra - refilled);
  expect(limitedCount).toBeLessThanOrEqual(extra);
  expect(
    sent
      .filter((answer) => answer.status === 429)
      .every((answer) => answer.body.errors?.[0].extensions?.code === 'RATE_LIMITED'),
  ).toBe(true);
});
