import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { accessRecordsOf } from './support/access-records';
import type { RunningApp } from './support/app-process';
import { launchChromium, SCREENSHOTS } from './support/browser';
import { startCairn, type CairnUnderTest } from './support/cairn-under-test';
import { discriminatingEvents, type Facts } from './support/discriminating-events';
import { graphql, newToken } from './support/graphql-client';
import { eventually, isolatedNames } from './support/local-stack';

/**
 * The console in a real Chromium against the real stack: real events through Kafka and ingest,
 * read back through the API's GraphQL by the page itself, as an investigator and as an auditor.
 */
const names = isolatedNames('console');
const investigator = newToken('e2e-console-investigator', 'investigator');
const auditor = newToken('e2e-console-auditor', 'auditor');

const CONTAINER = `c0ffee12ab34${'5'.repeat(52)}`;
const DIGEST = `sha256:${'d'.repeat(64)}`;
const START = Math.floor(Date.now() / 60_000) * 60_000 - 40 * 60_000;
const runtime = {
  pod: 'checkout-7f9c',
  namespace: 'payments',
  imageName: 'registry.example.com:5000/payments/checkout',
  imageTag: '2.14.1',
};
const request = {
  product: 'kubernetes' as const,
  pod: 'checkout-7f9c',
  namespace: 'payments',
  actor: 'mallory',
  sourceIp: '10.20.0.7',
};
const story: Omit<Facts, 'timeMs'>[] = [
  {
    label: 'pull',
    product: 'distribution',
    repository: 'payments/checkout',
    imageTag: '2.14.1',
    digest: DIGEST,
    sourceIp: '10.20.0.3',
  },
  { label: 'start', product: 'docker', ...runtime, containerId: CONTAINER, digest: DIGEST },
  { label: 'exec refused', ...request, resource: 'pods', subresource: 'exec', code: 403 },
  { label: 'exec', ...request, resource: 'pods', subresource: 'exec' },
  { label: 'shell', product: 'docker', ...runtime, containerId: CONTAINER, command: 'sh -c cat /etc/shadow' },
  { label: 'alert', product: 'falco', ...runtime, containerId: CONTAINER.slice(0, 12) },
];
// Docker then says nothing for three hours: a silence the compliance report must draw as a gap.
const early: Omit<Facts, 'timeMs'> = {
  label: 'early',
  product: 'docker',
  ...runtime,
  pod: 'nightly-batch',
  containerId: `ba7c4e5d0000${'6'.repeat(52)}`,
};
const events = discriminatingEvents([
  { ...early, timeMs: START - 3 * 3_600_000 },
  ...story.map((facts, i) => ({ ...facts, timeMs: START + i * 4 * 60_000 })),
]);
const idOf = (label: string) => events.find((event) => event.facts.label === label)!.id;

let cairn: CairnUnderTest;
let api: RunningApp;
let browser: Browser;

beforeAll(async () => {
  [cairn, browser] = await Promise.all([
    startCairn(names, { CAIRN_API_TOKENS: JSON.stringify([investigator.entry, auditor.entry]) }),
    launchChromium(),
  ]);
  api = cairn.api;
  await cairn.producer.sendBatch({
    topicMessages: (['orchestrator', 'runtime', 'registry'] as const).map((topic) => ({
      topic: names.topics[topic],
      messages: events.filter((event) => event.topic === topic).map((event) => ({ value: event.value })),
    })),
    acks: -1,
  });
  await eventually(async () => {
    const answer = await graphql<{ events: { totalCount: number } }>(
      api.baseUrl,
      investigator.token,
      'query($f: EventFilter) { events(filter: $f, first: 1) { totalCount } }',
      { f: { products: ['docker', 'falco', 'distribution', 'kubernetes'] } },
    );
    return answer.data?.events.totalCount === events.length ? true : undefined;
  }, 'the story to be stored');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await cairn?.stop();
});

interface Session {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Everything the page complained about: script errors and refused loads (a CSP violation, say). */
  readonly complaints: string[];
}

async function signIn(token: string, userAgent: string): Promise<Session> {
  const context = await browser.newContext({ userAgent, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const complaints: string[] = [];
  page.on('console', (message) => message.type() === 'error' && complaints.push(message.text()));
  page.on('pageerror', (error) => complaints.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400)
      complaints.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  await page.goto(`${api.baseUrl}/console`);
  await page.getByLabel('API token', { exact: true }).fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return { context, page, complaints };
}

/** The lanes the timeline draws, top to bottom. */
async function lanesOf(page: Page): Promise<(string | null)[]> {
  const lanes = await page.locator('svg.lanes [data-lane]').all();
  return Promise.all(lanes.map((lane) => lane.getAttribute('data-lane')));
}
const STORY_LANES = ['distribution', 'docker', 'falco', 'kubernetes'];

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

describe('as an investigator', () => {
  let session: Session;
  const agent = `cairn-console-e2e-investigator-${names.id}`;
  beforeAll(async () => {
    session = await signIn(investigator.token, agent);
  });
  afterAll(async () => session?.context.close());

  it('is served with a policy that lets the page load nothing but its own files', async () => {
    const response = await session.page.request.get(`${api.baseUrl}/console`);
    const policy = response.headers()['content-security-policy'];
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    expect(await session.page.evaluate('[localStorage.length, sessionStorage.length]')).toEqual([0, 1]);
  });

  it("draws a container's life from a 12-character id: one lane per source, the alert and the refusal marked", async () => {
    const { page } = session;
    await page.getByRole('link', { name: 'Timeline' }).click();
    await page.getByRole('heading', { name: 'Timeline', level: 1 }).waitFor();
    await page.getByLabel('Container id', { exact: true }).fill(CONTAINER.slice(0, 12));
    await page.getByRole('button', { name: 'Show timeline' }).click();
    await page.locator('svg.lanes').waitFor();
    expect(await lanesOf(page)).toEqual(STORY_LANES);
    expect(await page.locator('[data-lane="falco"] .mark[data-kind="alert"]').count()).toBe(1);
    expect(await page.locator('[data-lane="kubernetes"] .mark[data-kind="refused"]').count()).toBe(1);
    expect(await page.locator('[data-lane="docker"] .mark').count()).toBe(2);
    await expect(page.locator('p.total').getAttribute('data-total')).resolves.toBe(String(story.length));
    await shot(page, 'timeline');
  });

  it('draws the same lanes for the pod by name and namespace, and a mark opens from the keyboard', async () => {
    const { page } = session;
    await page.getByLabel('Container id', { exact: true }).fill('');
    await page.getByLabel('Pod', { exact: true }).fill('checkout-7f9c');
    await page.getByLabel('Namespace', { exact: true }).fill('payments');
    await page.getByRole('button', { name: 'Show timeline' }).click();
    await page.waitForURL(/pod=checkout-7f9c/);
    await page.locator('svg.lanes [data-lane="kubernetes"]').waitFor();
    expect(await lanesOf(page)).toEqual(STORY_LANES);
    const refused = page.locator('[data-lane="kubernetes"] .mark[data-kind="refused"]');
    await refused.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`event=${idOf('exec refused')}`));
    await page
      .getByRole('complementary', { name: 'Event detail' })
      .getByRole('link', { name: 'Close' })
      .click();
    await page.goto(`${api.baseUrl}/console#/timeline?containerId=${CONTAINER.slice(0, 12)}`);
    await page.locator('svg.lanes').waitFor();
  });

  it('opens an event from its mark, the original included', async () => {
    const { page } = session;
    await page.locator('[data-lane="falco"] .mark[data-kind="alert"]').click();
    const detail = page.getByRole('complementary', { name: 'Event detail' });
    await detail.locator('pre.original').waitFor();
    expect(await detail.locator('pre.original').textContent()).toContain('Terminal shell in container');
    expect(await detail.textContent()).toContain(idOf('alert'));
    expect(page.url()).toContain(`event=${idOf('alert')}`);
    await detail.screenshot({ path: join(SCREENSHOTS, 'event.png') });
    await detail.getByRole('link', { name: 'Close' }).click();
    await detail.waitFor({ state: 'detached' });
  });

  it('shows what one identity did, its refused attempt standing out', async () => {
    const { page } = session;
    await page.getByRole('link', { name: 'Actor' }).click();
    await page.getByRole('heading', { name: 'Actor', level: 1 }).waitFor();
    await page.getByLabel('Actor', { exact: true }).fill('mallory');
    await page.getByRole('button', { name: 'Show activity' }).click();
    await page.locator('svg.histogram').waitFor();
    await expect(page.locator('p.total').getAttribute('data-total')).resolves.toBe('2');
    await expect(page.locator('[data-refused]').getAttribute('data-refused')).resolves.toBe('1');
    expect(await page.locator('table.events tr.refused').count()).toBe(1);
    await shot(page, 'actor');
  });

  it('finds events by every kind of filter, with the total', async () => {
    const { page } = session;
    await page.getByRole('link', { name: 'Search' }).click();
    await page.getByRole('heading', { name: 'Search', level: 1 }).waitFor();
    await page.getByLabel('Pod', { exact: true }).fill('checkout-7f9c');
    await page.getByLabel('Outcomes', { exact: true }).fill('failure');
    await page.getByLabel('Client address', { exact: true }).fill('10.20.0.7');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('p.total').waitFor();
    await expect(page.locator('p.total').getAttribute('data-total')).resolves.toBe('1');
    await page.getByLabel('Container id', { exact: true }).fill('c0ffee');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'containerId: 12 to 64 hexadecimal characters',
    );
    await shot(page, 'search');
  });

  it('opens the PCI DSS report and shows its gaps', async () => {
    const { page } = session;
    await page.getByRole('link', { name: 'Compliance' }).click();
    await page.getByRole('heading', { name: 'Compliance', level: 1 }).waitFor();
    await page.locator('table.controls-report').waitFor();
    expect(await page.locator('table.controls-report tr[data-status="NO_EVIDENCE"]').count()).toBeGreaterThan(
      0,
    );
    expect(await page.locator('table.controls-report tr[data-status="EVIDENCED"]').count()).toBeGreaterThan(
      0,
    );
    const silence = page.locator('svg.lanes [data-lane="docker"] .band');
    expect(await silence.count()).toBe(1);
    expect(await silence.getAttribute('aria-label')).toMatch(/^docker silent \d+ minutes from /);
    await page.locator('table.controls-report tr[data-status="EVIDENCED"] a').first().click();
    await page.getByRole('region', { name: 'Evidence' }).locator('table.events tbody tr').first().waitFor();
    await shot(page, 'compliance');
  });

  it('complained of nothing, and every question it asked is in the access trail', async () => {
    expect(session.complaints).toEqual([]);
    const records = await accessRecordsOf(names.indexPrefix, agent, 6);
    const operations = new Set(records.map((record) => record.cairn.api.operation));
    for (const operation of [
      'Viewer',
      'Timeline',
      'EventDetail',
      'Actor',
      'Search',
      'Compliance',
      'Evidence',
    ]) {
      expect(operations).toContain(operation);
    }
    expect(records.every((record) => record.user?.name === 'e2e-console-investigator')).toBe(true);
  });
});

describe('as an auditor', () => {
  let session: Session;
  beforeAll(async () => {
    session = await signIn(auditor.token, `cairn-console-e2e-auditor-${names.id}`);
  });
  afterAll(async () => session?.context.close());

  it('sees the event but not its original, and cannot filter by client address', async () => {
    const { page } = session;
    await page.goto(
      `${api.baseUrl}/console#/timeline?containerId=${CONTAINER.slice(0, 12)}&event=${idOf('exec')}`,
    );
    const detail = page.getByRole('complementary', { name: 'Event detail' });
    await detail.locator('.withheld').waitFor();
    expect(await detail.locator('pre.original').count()).toBe(0);
    expect(await detail.textContent()).not.toContain('10.20.0.7');
    await shot(page, 'auditor-event');
    await page.getByRole('link', { name: 'Search' }).click();
    await page.getByRole('heading', { name: 'Search', level: 1 }).waitFor();
    await page.getByLabel('Pod', { exact: true }).waitFor();
    expect(await page.getByLabel('Client address', { exact: true }).count()).toBe(0);
    expect(session.complaints).toEqual([]);
  });

  it('verifies the integrity of the window from the compliance page', async () => {
    const { page } = session;
    await page.getByRole('link', { name: 'Compliance' }).click();
    await page.getByRole('heading', { name: 'Compliance', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Verify the chains for this window' }).click();
    await page.locator('[data-ok]').waitFor();
    await expect(page.locator('[data-ok]').getAttribute('data-ok')).resolves.toBe('true');
  });
});

it('says so in a sentence with its code when the token is refused', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${api.baseUrl}/console`);
  await page.getByLabel('API token', { exact: true }).fill('not-a-token-anyone-issued-0000');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  expect(await alert.textContent()).toMatch(/Your token was not accepted.*UNAUTHENTICATED/);
  await context.close();
});
