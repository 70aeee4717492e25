import type { AuditEventDocument } from '@cairn/event-schema';
import { severityLevel } from '@cairn/siem-formats';
import { accessRecordsOf } from './support/access-records';
import { freePort, startApp, type RunningApp } from './support/app-process';
import { startCairn, type CairnUnderTest } from './support/cairn-under-test';
import { newToken } from './support/graphql-client';
import { appEnvironment, elasticsearch, eventually, isolatedNames } from './support/local-stack';
import { mixedEvents, type WorkloadMessage } from './support/workload';

/**
 * The pull export on the real stack: a client paging from the beginning gets every stored event
 * once, across an API restart, including events stored after it caught up with timestamps older
 * than everything it already has; roles, filters, bad input and the access record as documented.
 */
const names = isolatedNames('feed-export');
const siem = newToken('e2e-siem', 'siem');
const auditor = newToken('e2e-auditor', 'auditor');
const admin = newToken('e2e-admin', 'admin');
const tokens = JSON.stringify([siem.entry, auditor.entry, admin.entry]);
const AGENT = `feed-export-e2e-${names.id}`;
const first = mixedEvents(300, { seed: `${names.id}-1` });
// Stored after the client caught up, yet a year older than anything it has seen.
const late = mixedEvents(60, { seed: `${names.id}-2`, startMs: Date.now() - 400 * 24 * 3600_000 });

let cairn: CairnUnderTest;
let api: RunningApp;
const env = () => ({
  ...appEnvironment(names),
  CAIRN_API_TOKENS: tokens,
  ELASTICSEARCH_REQUEST_TIMEOUT_MS: '3000',
});

beforeAll(async () => {
  cairn = await startCairn(names, env());
  api = cairn.api;
}, 120_000);

afterAll(async () => {
  await api?.stop();
  await cairn?.stop();
});

async function produce(messages: readonly WorkloadMessage[]): Promise<void> {
  for (const topic of ['orchestrator', 'runtime', 'registry'] as const) {
    const values = messages
      .filter((message) => message.topic === topic)
      .map((message) => ({ value: message.value }));
    if (values.length > 0) await cairn.producer.send({ topic: names.topics[topic], messages: values });
  }
}

async function storedCount(): Promise<number> {
  const es = elasticsearch();
  try {
    await es.indices.refresh({ index: `${names.indexPrefix}-*` });
    return (
      await es.count({
        index: `${names.indexPrefix}-*`,
        query: { exists: { field: 'cairn.position.topic' } },
      })
    ).count;
  } finally {
    await es.close();
  }
}

interface Page {
  readonly status: number;
  readonly lines: string[];
  readonly next: string | null;
  readonly contentType: string | null;
  readonly body: string;
}

async function exportPage(
  query: Record<string, string>,
  token = siem.token,
  base = api.baseUrl,
): Promise<Page> {
  const response = await fetch(`${base}/feed/v1/events?${new URLSearchParams(query).toString()}`, {
    headers: { authorization: `Bearer ${token}`, 'user-agent': AGENT },
  });
  const body = await response.text();
  return {
    status: response.status,
    lines: body === '' ? [] : body.replace(/\n$/, '').split('\n'),
    next: response.headers.get('cairn-next-cursor'),
    contentType: response.headers.get('content-type'),
    body,
  };
}

/** Pages until the same cursor comes back; returns every event and the last cursor. */
async function drain(
  after: string | undefined,
  extra: Record<string, string> = {},
  onPage?: () => Promise<void>,
) {
  const events: AuditEventDocument[] = [];
  let cursor = after;
  for (let pages = 0; pages < 1000; pages += 1) {
    const page = await exportPage({ format: 'ecs', limit: '40', ...extra, ...(cursor && { after: cursor }) });
    expect(page.status).toBe(200);
    expect(page.lines.length).toBeLessThanOrEqual(40);
    events.push(...page.lines.map((line) => JSON.parse(line) as AuditEventDocument));
    if (page.next === cursor && page.lines.length === 0) return { events, cursor: cursor };
    cursor = page.next!;
    await onPage?.();
  }
  throw new Error('the export never caught up');
}

const idsOf = (messages: readonly WorkloadMessage[]) => messages.flatMap((message) => message.ids);
// The export also carries Cairn's own records (these very requests, once settled): set aside here.
const fromIngest = (events: readonly AuditEventDocument[]) => events.filter((event) => event.cairn.position);

describe('pull export', () => {
  let cursor: string;

  it('delivers every stored event once to a client paging from the beginning, across an API restart', async () => {
    await produce(first);
    await eventually(
      async () => ((await storedCount()) >= idsOf(first).length ? true : undefined),
      'events stored',
    );
    let restarted = false;
    const { events, cursor: last } = await drain(undefined, {}, async () => {
      if (restarted) return;
      restarted = true;
      await api.stop();
      api = await startApp('api', env(), await freePort());
    });
    expect(restarted).toBe(true);
    const ids = fromIngest(events).map((event) => event.event.id);
    expect(ids).toHaveLength(new Set(ids).size);
    expect(new Set(ids)).toEqual(new Set(idsOf(first)));
    cursor = last;
  }, 180_000);

  it('delivers, from the cursor it caught up with, events stored later with older timestamps, once', async () => {
    await produce(late);
    await eventually(
      async () => ((await storedCount()) >= idsOf(first).length + idsOf(late).length ? true : undefined),
      'late events stored',
    );
    const drained = await drain(cursor);
    cursor = drained.cursor;
    const events = fromIngest(drained.events);
    const ids = events.map((event) => event.event.id);
    expect(ids.sort()).toEqual(idsOf(late).sort());
    expect(Math.max(...events.map((event) => Date.parse(event['@timestamp'])))).toBeLessThan(
      Date.now() - 300 * 24 * 3600_000,
    );
  }, 120_000);

  it('answers the same cursor with an empty page once caught up', async () => {
    const page = await exportPage({ format: 'cef', after: cursor, products: 'kubernetes,docker' });
    expect(page.status).toBe(200);
    expect(page.contentType).toBe('text/plain; charset=utf-8');
    expect(page.lines).toEqual([]);
    expect(page.next).toBe(cursor);
  });

  it('gives the siem role client addresses but not the raw source events', async () => {
    const page = await exportPage({ format: 'ecs', limit: '200' });
    const events = page.lines.map((line) => JSON.parse(line) as AuditEventDocument);
    expect(events.some((event) => event.source?.ip)).toBe(true);
    expect(events.filter((event) => event.event.original !== undefined)).toEqual([]);
    const asAdmin = await exportPage({ format: 'ecs', limit: '200' }, admin.token);
    expect(
      asAdmin.lines.map((line) => JSON.parse(line) as AuditEventDocument).some((e) => e.event.original),
    ).toBe(true);
  });

  it('filters by product, source kind and severity, and encodes in each format', async () => {
    const allFalco = (await drain(undefined, { products: 'falco' })).events;
    expect(allFalco.length).toBeGreaterThan(0);
    expect(new Set(allFalco.map((event) => event.cairn.product))).toEqual(new Set(['falco']));
    const serious = (await drain(undefined, { products: 'falco', minSeverity: 'medium' })).events;
    const expected = allFalco.filter((event) =>
      ['medium', 'high', 'critical'].includes(severityLevel(event)),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(allFalco.length);
    expect(serious.map((event) => event.event.id).sort()).toEqual(
      expected.map((event) => event.event.id).sort(),
    );
    const cef = await exportPage({ format: 'cef', limit: '5', sourceKinds: 'REGISTRY' });
    expect(cef.lines).toHaveLength(5);
    for (const line of cef.lines) expect(line).toMatch(/^CEF:0\|Cairn\|(distribution|harbor)\|1\|/);
    const ocsf = await exportPage({ format: 'ocsf', limit: '3' });
    expect(ocsf.contentType).toBe('application/x-ndjson; charset=utf-8');
    for (const line of ocsf.lines) expect(JSON.parse(line)).toHaveProperty('metadata.version', '1.8.0');
  });

  it('refuses other roles, a missing token, bad parameters and a forged cursor with stable codes', async () => {
    const forbidden = await exportPage({ format: 'ecs' }, auditor.token);
    expect(forbidden.status).toBe(403);
    expect(JSON.parse(forbidden.body)).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN' } }] });
    expect((await exportPage({ format: 'ecs' }, 'cairn_wrong')).status).toBe(401);
    const bad = await exportPage({ format: 'xml', limit: '9999' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
    expect(bad.body).toContain('format: required, one of ecs, ocsf, cef, leef, hec');
    const forged = await exportPage({ format: 'ecs', after: `${cursor.slice(0, -2)}AA` });
    expect(forged.status).toBe(400);
    expect(forged.body).toContain('after: not a feed cursor this API issued');
  });

  it('records every export as an access: route, operation, events returned', async () => {
    const records = await accessRecordsOf(names.indexPrefix, AGENT, 10);
    const exports = records.filter((record) => record.cairn.api.route === 'feed.export');
    expect(exports.length).toBeGreaterThan(0);
    expect(
      exports.some(
        (record) => record.cairn.api.operation === 'export ecs' && record.cairn.api.result_count! > 0,
      ),
    ).toBe(true);
    expect(exports.some((record) => record.cairn.api.error_code === 'FORBIDDEN')).toBe(true);
  });

  it('delivers Cairn’s own records too, once they have settled', async () => {
    const own = await eventually(
      async () => {
        const { events } = await drain(undefined, { products: 'cairn' });
        return events.some((event) => event.user_agent?.original === AGENT) ? events : undefined;
      },
      'access records in the export',
      60_000,
    );
    const ids = own.map((event) => event.event.id);
    expect(ids).toHaveLength(new Set(ids).size);
  }, 90_000);
});
