import { startCairn, type CairnUnderTest } from './support/cairn-under-test';
import { graphql, newToken } from './support/graphql-client';
import { elasticsearch, eventually, isolatedNames, stackCommand } from './support/local-stack';

/**
 * Queries that would cost too much are refused before they run; a search Elasticsearch does not
 * answer in time ends with QUERY_TIMEOUT, not a hung request or an "internal error". Both
 * refusals are recorded like any answer.
 */
const names = isolatedNames('harden');
const investigator = newToken('e2e-hardening', 'investigator');

let cairn: CairnUnderTest;

beforeAll(async () => {
  cairn = await startCairn(names, {
    CAIRN_API_TOKENS: JSON.stringify([investigator.entry]),
    CAIRN_API_MAX_QUERY_COST: '5000',
    CAIRN_API_QUERY_TIMEOUT_MS: '1500',
  });
});

afterAll(async () => {
  await cairn?.stop();
});

async function recordedWith(code: string) {
  const client = elasticsearch();
  try {
    return await eventually(async () => {
      await client.indices.refresh({ index: `${names.indexPrefix}-*` });
      const found = await client.search({
        index: `${names.indexPrefix}-*`,
        query: { term: { 'cairn.api.error_code': code } },
      });
      return found.hits.hits[0]?._source;
    }, `a ${code} answer to be recorded`);
  } finally {
    await client.close();
  }
}

it('refuses a query above the cost limit with QUERY_TOO_COMPLEX, counting aliases and variables', async () => {
  const node = 'edges { node { id action actor { name } } }';
  const cheap = await graphql(cairn.api.baseUrl, investigator.token, `{ events(first: 500) { ${node} } }`);
  expect(cheap.errors).toBeUndefined();

  const aliased = Array.from({ length: 6 }, (_, i) => `e${i}: events(first: 1) { totalCount }`).join(' ');
  const tooMany = await graphql(cairn.api.baseUrl, investigator.token, `{ ${aliased} }`);
  expect(tooMany.data ?? null).toBeNull();
  expect(tooMany.errors?.[0]).toMatchObject({ extensions: { code: 'QUERY_TOO_COMPLEX' } });
  expect(tooMany.errors?.[0].message).toMatch(/query cost 6012 is above the limit of 5000/);

  const byVariable = await graphql(
    cairn.api.baseUrl,
    investigator.token,
    `query Big($n: Int!) { events(first: $n) { ${node} totalCount } }`,
    { n: 500 },
  );
  expect(byVariable.errors).toBeUndefined();
  const twoPages = await graphql(
    cairn.api.baseUrl,
    investigator.token,
    `query Big($n: Int!) { a: events(first: $n) { ${node} } b: events(first: $n) { ${node} } }`,
    { n: 500 },
  );
  expect(twoPages.errors?.[0]).toMatchObject({ extensions: { code: 'QUERY_TOO_COMPLEX' } });
  expect(await recordedWith('QUERY_TOO_COMPLEX')).toMatchObject({
    user: { name: 'e2e-hardening' },
    event: { action: 'cairn.query', outcome: 'failure' },
  });
});

it('answers QUERY_TIMEOUT when Elasticsearch does not answer in time, and records it once it is back', async () => {
  await stackCommand('freeze-elasticsearch');
  let answer: Awaited<ReturnType<typeof graphql>>;
  try {
    const started = Date.now();
    // The access record of this answer waits for Elasticsearch; thaw it while the answer waits.
    const pending = graphql(cairn.api.baseUrl, investigator.token, '{ events(first: 5) { totalCount } }');
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    await stackCommand('thaw-elasticsearch');
    answer = await pending;
    expect(Date.now() - started).toBeLessThan(30_000);
  } finally {
    await stackCommand('thaw-elasticsearch');
  }
  expect(answer.errors).toEqual([
    expect.objectContaining({
      message: expect.stringMatching(/longer than the API allows \(CAIRN_API_QUERY_TIMEOUT_MS\)/),
      extensions: { code: 'QUERY_TIMEOUT' },
    }),
  ]);
  expect(JSON.stringify(answer)).not.toMatch(/TimeoutError|at .*\.js/);
  expect(await recordedWith('QUERY_TIMEOUT')).toMatchObject({ event: { outcome: 'failure' } });
});
