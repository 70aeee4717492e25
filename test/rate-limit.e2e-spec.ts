import { startCairn, type CairnUnderTest } from './support/cairn-under-test';
import { graphql, newToken } from './support/graphql-client';
import { elasticsearch, eventually, isolatedNames } from './support/local-stack';

/** Each token has its own request budget; a refusal is an answer too, and is recorded. */
const names = isolatedNames('rate');
const busy = newToken('e2e-busy', 'investigator');
const other = newToken('e2e-other', 'investigator');
const QUERY = '{ events(first: 1) { totalCount } }';

let cairn: CairnUnderTest;

beforeAll(async () => {
  cairn = await startCairn(names, {
    CAIRN_API_TOKENS: JSON.stringify([busy.entry, other.entry]),
    CAIRN_API_RATE_LIMIT_PER_MINUTE: '5',
  });
});

afterAll(async () => {
  await cairn?.stop();
});

it('refuses a token over its budget with 429 RATE_LIMITED, leaves other tokens alone, and records the refusal', async () => {
  for (let i = 0; i < 5; i += 1) {
    expect((await graphql(cairn.api.baseUrl, busy.token, QUERY)).errors).toBeUndefined();
  }
  const response = await fetch(`${cairn.api.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${busy.token}` },
    body: JSON.stringify({ query: QUERY }),
  });
  expect(response.status).toBe(429);
  expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
  expect((await graphql(cairn.api.baseUrl, other.token, QUERY)).errors).toBeUndefined();

  const client = elasticsearch();
  try {
    const refused = await eventually(async () => {
      await client.indices.refresh({ index: `${names.indexPrefix}-*` });
      const found = await client.search({
        index: `${names.indexPrefix}-*`,
        query: { term: { 'cairn.api.error_code': 'RATE_LIMITED' } },
      });
      return found.hits.hits.length > 0 ? found.hits.hits[0]._source : undefined;
    }, 'the refusal to be recorded');
    expect(refused).toMatchObject({
      user: { name: 'e2e-busy' },
      event: { action: 'cairn.query', outcome: 'failure' },
    });
  } finally {
    await client.close();
  }
});

it('budgets requests without a valid token per client address, apart from the tokens', async () => {
  const stranger = () =>
    fetch(`${cairn.api.baseUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer cairn_not_a_real_token_0000000000',
      },
      body: JSON.stringify({ query: QUERY }),
    });
  // Five guesses are refused as unauthenticated; the sixth is over this address's budget.
  for (let i = 0; i < 5; i += 1) expect((await stranger()).status).toBe(401);
  const limited = await stranger();
  expect(limited.status).toBe(429);
  expect(await limited.json()).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
  // The same address with a valid token has the token's own budget.
  expect((await graphql(cairn.api.baseUrl, other.token, QUERY)).errors).toBeUndefined();
});
