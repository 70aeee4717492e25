import { startCairn, type CairnUnderTest } from './support/cairn-under-test';
import { graphql, newToken } from './support/graphql-client';
import { eventually, isolatedNames } from './support/local-stack';

/**
 * Access to the audit trail is itself audited: each GraphQL request, answered or refused, becomes
 * an event of product `cairn`, stored beside the others and found with the same queries.
 */
const names = isolatedNames('self-audit');
const admin = newToken('e2e-admin', 'admin');
const investigator = newToken('e2e-investigator', 'investigator');
const auditor = newToken('e2e-auditor', 'auditor');

const ACCESS_QUERY = `query AccessRecords($filter: EventFilter) {
  events(filter: $filter, first: 50) {
    totalCount
    edges { node { sourceKind product action outcome message actor { name sourceIps } } }
  }
}`;

type AccessData = {
  events: {
    totalCount: number;
    edges: {
      node: {
        sourceKind: string;
        product: string;
        action: string;
        outcome: string;
        message: string;
        actor: { name: string | null; sourceIps: string[] };
      };
    }[];
  };
};

let cairn: CairnUnderTest;

beforeAll(async () => {
  cairn = await startCairn(names, {
    CAIRN_API_TOKENS: JSON.stringify([admin.entry, investigator.entry, auditor.entry]),
  });
});

afterAll(async () => {
  await cairn?.stop();
});

async function accessRecords(action: string) {
  const response = await graphql<AccessData>(cairn.api.baseUrl, admin.token, ACCESS_QUERY, {
    filter: { products: ['cairn'], actions: [action] },
  });
  return response.data!.events.edges.map((edge) => edge.node);
}

it('records a query with the caller, role, operation, result count and client address', async () => {
  const asked = await graphql<AccessData>(
    cairn.api.baseUrl,
    investigator.token,
    'query LastNight { events(first: 5) { totalCount } }',
  );
  expect(asked.errors).toBeUndefined();
  const record = await eventually(async () => {
    const found = (await accessRecords('cairn.query')).find((node) => node.actor.name === 'e2e-investigator');
    return found;
  }, 'the investigator query to be recorded');
  expect(record).toMatchObject({
    sourceKind: 'CAIRN',
    product: 'cairn',
    outcome: 'SUCCESS',
    actor: { sourceIps: ['127.0.0.1'] },
  });
  expect(record.message).toMatch(/^e2e-investigator \(investigator\) LastNight: \d+ events$/);
});

it('records a failed authentication, whatever the request asked', async () => {
  const refused = await graphql(
    cairn.api.baseUrl,
    'cairn_not_a_real_token_000000',
    '{ events { totalCount } }',
  );
  expect(refused.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  const noToken = await graphql(cairn.api.baseUrl, undefined, '{ not valid graphql');
  expect(noToken.errors).toBeDefined();
  const failures = await eventually(async () => {
    const found = await accessRecords('cairn.auth_failure');
    return found.length >= 2 ? found : undefined;
  }, 'both refused requests to be recorded');
  for (const failure of failures) {
    expect(failure).toMatchObject({ sourceKind: 'CAIRN', outcome: 'FAILURE', actor: { name: null } });
  }
});

it('records a forbidden request as a failed query by the caller who made it', async () => {
  const forbidden = await graphql(
    cairn.api.baseUrl,
    auditor.token,
    'query Peek { events(first: 1) { edges { node { original } } } }',
  );
  await eventually(async () => {
    const found = (await accessRecords('cairn.query')).find((node) => node.actor.name === 'e2e-auditor');
    return found?.outcome === 'FAILURE' ? found : undefined;
  }, "the auditor's forbidden request to be recorded as a failure");
  // Without stored events there is nothing to refuse; with them the field is FORBIDDEN.
  expect(forbidden.errors === undefined || forbidden.errors[0].extensions?.code === 'FORBIDDEN').toBe(true);
});
