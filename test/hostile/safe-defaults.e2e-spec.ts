import { accessRecordsOf } from '../support/access-records';
import { freePort, runUntilExit, startApp, type RunningApp } from '../support/app-process';
import { startCairn, type CairnUnderTest } from '../support/cairn-under-test';
import { graphql, newToken } from '../support/graphql-client';
import { appEnvironment, isolatedNames } from '../support/local-stack';

/**
 * Cairn as started with no more settings than it needs is the production-safe Cairn: no
 * introspection, no start without a cursor secret, no client address taken from a header anyone
 * can set, no dependency error text for strangers, security headers on every answer.
 */
const names = isolatedNames('safe-defaults');
const admin = newToken('e2e-defaults-admin', 'admin');
const investigator = newToken('e2e-defaults-investigator', 'investigator');
const TOKENS = JSON.stringify([admin.entry, investigator.entry]);
const INTROSPECTION = '{ __schema { queryType { name } } }';

let cairn: CairnUnderTest;
/** Development mode, behind a trusted proxy, and with a Kafka that does not answer. */
let other: RunningApp;

beforeAll(async () => {
  cairn = await startCairn(names, { CAIRN_API_TOKENS: TOKENS });
  other = await startApp(
    'api',
    {
      ...appEnvironment(names),
      CAIRN_API_TOKENS: TOKENS,
      CAIRN_MODE: 'development',
      CAIRN_API_TRUSTED_PROXIES: '127.0.0.1, ::1',
      KAFKA_BROKERS: `127.0.0.1:${await freePort()}`,
      CAIRN_READINESS_THRESHOLD_SECONDS: '0',
    },
    await freePort(),
  );
});

afterAll(async () => {
  await other?.stop();
  await cairn?.stop();
});

async function post(baseUrl: string, headers: Record<string, string>, query: string) {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: any[] } };
}

describe('introspection', () => {
  it('is off in production, the mode Cairn runs in unless told otherwise', async () => {
    const answer = await graphql(cairn.api.baseUrl, investigator.token, INTROSPECTION);
    expect(answer.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('is never for an unauthenticated caller, in either mode', async () => {
    for (const api of [cairn.api, other]) {
      const answer = await post(api.baseUrl, {}, INTROSPECTION);
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({
        data: null,
        errors: [{ message: 'a valid bearer token is required', extensions: { code: 'UNAUTHENTICATED' } }],
      });
    }
  });

  it('answers an authenticated caller in development', async () => {
    const answer = await graphql<any>(other.baseUrl, investigator.token, INTROSPECTION);
    expect(answer.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});

describe('query depth', () => {
  // The schema's own types nest only a few levels; introspection's nest without end, so the limit
  // is shown with it, in development mode where introspection answers.
  const nested = (ofTypes: number) =>
    `{ __schema { types { fields { type { ${'ofType { '.repeat(ofTypes)}name${' }'.repeat(ofTypes)} } } } } }`;

  it('answers a query 12 levels deep', async () => {
    const answer = await graphql<any>(other.baseUrl, investigator.token, nested(7));
    expect(answer.errors).toBeUndefined();
    expect(answer.data.__schema.types.length).toBeGreaterThan(0);
  });

  it('refuses one 13 levels deep before it runs, naming the limit', async () => {
    const answer = await graphql(other.baseUrl, investigator.token, nested(8));
    expect(answer.errors).toEqual([
      {
        message: 'unnamedQuery query depth (13) exceeds the query depth limit of 12',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      },
    ]);
  });
});

describe('start-up', () => {
  it('refuses to start in production without a cursor secret, naming the setting', async () => {
    const { CAIRN_CURSOR_SECRET: _secret, ...env } = appEnvironment(names);
    const exited = await runUntilExit('api', { ...env, CAIRN_API_TOKENS: TOKENS });
    expect(exited.code).toBe(1);
    expect(exited.stderr + exited.stdout).toMatch(/CAIRN_CURSOR_SECRET: required in production/);
  });

  it('refuses two tokens of one name', async () => {
    const twice = JSON.stringify([admin.entry, { ...investigator.entry, name: admin.entry.name }]);
    const exited = await runUntilExit('api', { ...appEnvironment(names), CAIRN_API_TOKENS: twice });
    expect(exited.code).toBe(1);
    expect(exited.stderr + exited.stdout).toMatch(
      /CAIRN_API_TOKENS\[1\]: the name "e2e-defaults-admin" is used twice/,
    );
  });
});

describe('callers', () => {
  it('accepts the Bearer scheme in any case', async () => {
    for (const scheme of ['bearer', 'BEARER']) {
      const answer = await post(
        cairn.api.baseUrl,
        { authorization: `${scheme} ${investigator.token}` },
        '{ __typename }',
      );
      expect(answer.body).toEqual({ data: { __typename: 'Query' } });
    }
  });

  it('records the peer, not X-Forwarded-For, unless the peer is a trusted proxy', async () => {
    const forwarded = { 'x-forwarded-for': '203.0.113.7', authorization: `Bearer ${investigator.token}` };
    await post(cairn.api.baseUrl, { ...forwarded, 'user-agent': 'defaults/direct' }, '{ __typename }');
    await post(other.baseUrl, { ...forwarded, 'user-agent': 'defaults/proxied' }, '{ __typename }');
    const [direct] = await accessRecordsOf(names.indexPrefix, 'defaults/direct');
    const [proxied] = await accessRecordsOf(names.indexPrefix, 'defaults/proxied');
    expect(direct.source?.ip?.[0]).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
    expect(proxied.source?.ip).toEqual(['203.0.113.7']);
  });
});

describe('answers', () => {
  it.each([
    ['/graphql', 'POST'],
    ['/healthz', 'GET'],
    ['/readyz', 'GET'],
    ['/nothing-here', 'GET'],
  ])('%s carries the security headers', async (path, method) => {
    const response = await fetch(`${cairn.api.baseUrl}${path}`, { method });
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
  });

  it('tells a stranger which readiness check failed, and only an admin why', async () => {
    const stranger = await fetch(`${other.baseUrl}/readyz`);
    expect(stranger.status).toBe(503);
    const strangerBody = (await stranger.json()) as { checks: Record<string, object> };
    expect(strangerBody.checks.kafka).toEqual({ ok: false, failingForMs: expect.any(Number) });
    expect(strangerBody.checks.elasticsearch).toEqual({ ok: true });

    const asAdmin = await fetch(`${other.baseUrl}/readyz`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    const adminBody = (await asAdmin.json()) as { checks: Record<string, { error?: string }> };
    expect(adminBody.checks.kafka.error).toEqual(expect.any(String));

    const asInvestigator = await fetch(`${other.baseUrl}/readyz`, {
      headers: { authorization: `Bearer ${investigator.token}` },
    });
    expect(
      ((await asInvestigator.json()) as { checks: Record<string, object> }).checks.kafka,
    ).not.toHaveProperty('error');
  });
});
