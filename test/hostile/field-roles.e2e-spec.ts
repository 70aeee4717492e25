import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESTRICTED_FIELDS } from '@cairn/api-policy';
import { API_ROLES, type ApiRole } from '@cairn/api-policy';
import { startCairn, type CairnUnderTest } from '../support/cairn-under-test';
import { graphql, newToken, type TestToken } from '../support/graphql-client';
import { eventually, isolatedNames, REPO } from '../support/local-stack';

/**
 * A role that may not read a field may not filter or group by it either: a filter that matches,
 * or a bucket that counts, tells the value as surely as reading it. Every cell of the table
 * (README, "Security model": field × role × read, filter, aggregate) is asked here of the real API.
 */
const names = isolatedNames('field-roles');
const tokens = Object.fromEntries(API_ROLES.map((role) => [role, newToken(`e2e-${role}`, role)])) as Record<
  ApiRole,
  TestToken
>;
const fixture = readFileSync(join(REPO, 'libs/normalizers/src/kubernetes-audit/fixtures/v1-pods-exec.json'));
const CLIENT_ADDRESS = '10.20.30.40';
const EVENT_ROLES: readonly ApiRole[] = ['admin', 'investigator', 'auditor'];

/** For each way a restricted field can be used, a query that uses it and what it shows when allowed. */
const USES: Record<string, { query: string; shows: (data: any) => unknown; expected: unknown }> = {
  'AuditEvent.original': {
    query: '{ events(filter: { products: ["kubernetes"] }) { edges { node { original } } } }',
    shows: (data) => JSON.parse(data.events.edges[0].node.original).auditID,
    expected: '3f0b8d1e-6a7c-4c55-9d7e-2b1c0e9a4f10',
  },
  'Actor.sourceIps': {
    query: '{ events(filter: { products: ["kubernetes"] }) { edges { node { actor { sourceIps } } } } }',
    shows: (data) => data.events.edges[0].node.actor.sourceIps[0],
    expected: CLIENT_ADDRESS,
  },
  sourceIp: {
    query: `{ events(filter: { sourceIp: "${CLIENT_ADDRESS}" }) { totalCount } }`,
    shows: (data) => data.events.totalCount,
    expected: 1,
  },
  'sourceIp (eventStats)': {
    query: `{ eventStats(field: ACTOR, filter: { sourceIp: "${CLIENT_ADDRESS}" }) { key count } }`,
    shows: (data) => data.eventStats.length,
    expected: 1,
  },
  'sourceIp (eventHistogram)': {
    query: `{ eventHistogram(interval: "1d", filter: { sourceIp: "${CLIENT_ADDRESS}" }) { count } }`,
    shows: (data) => data.eventHistogram[0].count,
    expected: 1,
  },
  SOURCE_IP: {
    query: '{ eventStats(field: SOURCE_IP, filter: { products: ["kubernetes"] }) { key count } }',
    shows: (data) => (data.eventStats as { key: string }[]).map((bucket) => bucket.key),
    expected: [CLIENT_ADDRESS, '192.168.1.7'],
  },
};

/** Every cell: each restricted field, each way to use it, each role. */
const CELLS = RESTRICTED_FIELDS.flatMap((restricted) =>
  [
    ...restricted.reads,
    ...restricted.filters.flatMap((filter) => [
      filter,
      `${filter} (eventStats)`,
      `${filter} (eventHistogram)`,
    ]),
    ...restricted.aggregations,
  ].flatMap((use) =>
    API_ROLES.map((role) => ({
      field: restricted.field,
      use,
      role,
      allowed: restricted.roles.includes(role) && EVENT_ROLES.includes(role),
    })),
  ),
);

let cairn: CairnUnderTest;

beforeAll(async () => {
  cairn = await startCairn(names, {
    CAIRN_API_TOKENS: JSON.stringify(Object.values(tokens).map((t) => t.entry)),
  });
  await cairn.producer.send({ topic: names.topics.orchestrator, acks: -1, messages: [{ value: fixture }] });
  await eventually(async () => {
    const answer = await graphql<{ events: { totalCount: number } }>(
      cairn.api.baseUrl,
      tokens.admin.token,
      '{ events(filter: { products: ["kubernetes"] }) { totalCount } }',
    );
    return answer.data?.events.totalCount === 1 ? true : undefined;
  }, 'the event to be stored');
});

afterAll(async () => cairn?.stop());

it('has a query for every use the table lists', () => {
  for (const cell of CELLS) expect(Object.keys(USES)).toContain(cell.use);
  expect(CELLS.length).toBeGreaterThanOrEqual(RESTRICTED_FIELDS.length * API_ROLES.length);
});

it.each(CELLS)('$field, $use, as $role: allowed=$allowed', async ({ use, role, allowed }) => {
  const answer = await graphql<any>(cairn.api.baseUrl, tokens[role].token, USES[use].query);
  if (allowed) {
    expect(answer.errors).toBeUndefined();
    expect(USES[use].shows(answer.data)).toEqual(USES[use].expected);
  } else {
    expect(answer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // Refused means nothing of it leaked: no value, no count.
    expect(JSON.stringify(answer)).not.toContain(CLIENT_ADDRESS);
    expect(JSON.stringify(answer.data ?? null)).not.toMatch(/"(count|totalCount)":\s*[1-9]/);
  }
});

it.each(EVENT_ROLES)('lets %s read, filter and group by an unrestricted field (the actor)', async (role) => {
  const answer = await graphql<any>(
    cairn.api.baseUrl,
    tokens[role].token,
    `
      {
        events(filter: { actor: "alice@example.com" }) {
          totalCount
          edges {
            node {
              actor {
                name
              }
            }
          }
        }
        eventStats(field: ACTOR, filter: { products: ["kubernetes"] }) {
          key
          count
        }
      }
    `,
  );
  expect(answer.errors).toBeUndefined();
  expect(answer.data.events.totalCount).toBe(1);
  expect(answer.data.eventStats).toEqual([{ key: 'alice@example.com', count: 1 }]);
});
