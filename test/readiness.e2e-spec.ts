import { expectOrderlyStop, freePort, startApp, type RunningApp } from './support/app-process';
import { newToken } from './support/graphql-client';
import {
  appEnvironment,
  eventually,
  isolatedNames,
  removeIsolated,
  stackCommand,
} from './support/local-stack';

/**
 * /readyz follows the real dependencies: this suite stops the local stack's Elasticsearch, sees
 * both apps turn 503, starts it again and sees them turn 200 by themselves.
 */
const names = isolatedNames('ready');
const token = newToken('ready', 'admin');
let api: RunningApp;
let ingest: RunningApp;

const readiness = async (app: RunningApp) => {
  const response = await fetch(`${app.baseUrl}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, any> };
};

beforeAll(async () => {
  const env = {
    ...appEnvironment(names),
    CAIRN_API_TOKENS: JSON.stringify([token.entry]),
  };
  api = await startApp('api', env, await freePort());
  ingest = await startApp('ingest', env, await freePort());
});

afterAll(async () => {
  await stackCommand('start');
  const stopped = await Promise.all([api?.stop(), ingest?.stop()]);
  await removeIsolated(names);
  stopped.filter(Boolean).forEach((ended) => expectOrderlyStop(ended));
});

it('answers 200, then 503 while Elasticsearch is stopped, then 200 again after it is back', async () => {
  for (const app of [api, ingest]) {
    await eventually(async () => ((await readiness(app)).status === 200 ? true : undefined), 'ready');
  }

  await stackCommand('stop-elasticsearch');
  for (const app of [api, ingest]) {
    // The first failed check only starts the clock: a blip shorter than the threshold is tolerated.
    const blip = await readiness(app);
    expect(blip.status).toBe(200);
    expect(blip.body.checks.elasticsearch).toMatchObject({ ok: false, failingForMs: expect.any(Number) });
  }
  for (const app of [api, ingest]) {
    const down = await eventually(async () => {
      const report = await readiness(app);
      return report.status === 503 ? report : undefined;
    }, '503 once the threshold has passed');
    expect(down.body).toMatchObject({
      ready: false,
      checks: { kafka: { ok: true }, elasticsearch: { ok: false } },
    });
  }
  const healthz = await fetch(`${api.baseUrl}/healthz`);
  expect(healthz.status).toBe(200);

  // No answer leaves without its access record: with the store away, the query is refused.
  const query = await fetch(`${api.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token.token}` },
    body: JSON.stringify({ query: '{ events(first: 1) { totalCount } }' }),
  });
  expect(query.status).toBe(503);
  expect(await query.json()).toMatchObject({
    data: null,
    errors: [{ extensions: { code: 'AUDIT_UNAVAILABLE' } }],
  });

  await stackCommand('start');
  for (const app of [api, ingest]) {
    await eventually(
      async () => ((await readiness(app)).status === 200 ? true : undefined),
      'ready again',
      120_000,
    );
  }
}, 300_000);
