import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { everyOutcomeRecordStored } from './support/access-records';
import { runUntilExit } from './support/app-process';
import { startCairn, type CairnUnderTest } from './support/cairn-under-test';
import { graphql, newToken } from './support/graphql-client';
import { appEnvironment, elasticsearch, eventually, isolatedNames, REPO } from './support/local-stack';

/**
 * A store a year in: events in fourteen monthly indices (PCI DSS 10.5.1 keeps twelve months, so a
 * compliant store holds at least thirteen). Every query that pages must reach the end exactly,
 * with cursors that do not grow with the number of months, while ingest keeps writing.
 */
const names = isolatedNames('year-in');
const investigator = newToken('e2e-year-investigator', 'investigator');
const auditor = newToken('e2e-year-auditor', 'auditor');
const fixture = (path: string) =>
  JSON.parse(readFileSync(join(REPO, 'libs/normalizers/src', path), 'utf8')) as Record<string, any>;
const exec = fixture('kubernetes-audit/fixtures/v1-pods-exec.json');
const dockerStart = fixture('docker/fixtures/container-start-kubernetes.json');

const MONTHS = 14;
const EXECS_PER_MONTH = 60;
const CONTAINER_EVENTS_PER_MONTH = 6;
const now = new Date();
/** The first instant of month `i`, counted from the oldest of the fourteen. */
const monthStart = (i: number) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (MONTHS - 1) + i, 1));
const FROM = monthStart(0);
// A report covers at most 400 days, which thirteen whole months and part of this one pass after
// the first days of a month: reports start a month later, so they cover twelve whole months and
// this one (at most 396 days), whatever today's date.
const REPORT_FROM = monthStart(1);
const TO = new Date(now.getTime() + 60_000);

function messages(): { topic: 'orchestrator' | 'runtime'; value: string }[] {
  const out: { topic: 'orchestrator' | 'runtime'; value: string }[] = [];
  for (let month = 0; month < MONTHS; month += 1) {
    const start = monthStart(month).getTime();
    for (let i = 0; i < EXECS_PER_MONTH; i += 1) {
      // Spread over the month's first days (the current month may have only just begun).
      const at = new Date(start + i * 1_000 + 500).toISOString();
      const auditID = `${String(month).padStart(4, '0')}${String(i).padStart(4, '0')}-6a7c-4c55-9d7e-2b1c0e9a4f10`;
      const user = { ...exec.user, username: i % 2 === 0 ? 'alice@example.com' : 'bob@example.com' };
      out.push({
        topic: 'orchestrator',
        value: JSON.stringify({ ...exec, auditID, user, requestReceivedTimestamp: at, stageTimestamp: at }),
      });
    }
    for (let i = 0; i < CONTAINER_EVENTS_PER_MONTH; i += 1) {
      const ms = start + i * 1_000 + 700;
      const docker = { ...dockerStart, time: Math.floor(ms / 1000), timeNano: ms * 1_000_000 + month };
      out.push({ topic: 'runtime', value: JSON.stringify(docker) });
    }
  }
  return out;
}

const EXECS = MONTHS * EXECS_PER_MONTH;
const CONTAINER_EVENTS = MONTHS * CONTAINER_EVENTS_PER_MONTH;

let cairn: CairnUnderTest;

interface IntegrityReport {
  findings: { kind: string; chain: string; seqFrom: number | null; seqTo: number | null; message: string }[];
  chains: { chain: string; removed: number }[];
}

async function integrityReport(): Promise<IntegrityReport> {
  const answer = await graphql<{ integrityReport: IntegrityReport }>(
    cairn.api.baseUrl,
    auditor.token,
    '{ integrityReport { findings { kind chain seqFrom seqTo message } chains { chain removed } } }',
  );
  expect(answer.errors).toBeUndefined();
  return answer.data!.integrityReport;
}

beforeAll(async () => {
  cairn = await startCairn(names, {
    CAIRN_API_TOKENS: JSON.stringify([investigator.entry, auditor.entry]),
    CAIRN_CONFIG: join(REPO, 'config/cairn.example.yaml'),
  });
  const all = messages();
  for (const topic of ['orchestrator', 'runtime'] as const) {
    await cairn.producer.send({
      topic: names.topics[topic],
      acks: -1,
      messages: all.filter((m) => m.topic === topic).map((m) => ({ value: m.value })),
    });
  }
  const client = elasticsearch();
  await eventually(
    async () => {
      await client.indices.refresh({ index: `${names.indexPrefix}-*` });
      const { count } = await client.count({
        index: `${names.indexPrefix}-*`,
        query: { terms: { 'cairn.product': ['kubernetes', 'docker'] } },
      });
      return count === EXECS + CONTAINER_EVENTS ? true : undefined;
    },
    'a year of events to be stored',
    120_000,
  );
  const months = Object.keys(await client.indices.get({ index: `${names.indexPrefix}-*` }));
  await client.close();
  expect(months.length).toBeGreaterThanOrEqual(MONTHS);
}, 180_000);

afterAll(async () => cairn?.stop());

type Connection = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: { id: string; timestamp: string } }[];
};

/** Pages a connection to its end; every page must answer, no id twice, cursors stay short. */
async function pageToEnd(
  field: string,
  args: string,
  token = investigator.token,
  pageSize = 100,
  onPage?: (page: number) => Promise<void>,
): Promise<{ ids: string[]; totals: Set<number>; longestCursor: number; times: number[] }> {
  const ids: string[] = [];
  const times: number[] = [];
  const totals = new Set<number>();
  let after: string | null = null;
  let longestCursor = 0;
  for (let page = 0; page < 1000; page += 1) {
    const answer: { data?: Record<string, Connection>; errors?: unknown[] } = await graphql(
      cairn.api.baseUrl,
      token,
      `query Page($after: String) { ${field}(${args}, first: ${pageSize}, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id timestamp } } } }`,
      { after },
    );
    expect(answer.errors).toBeUndefined();
    const connection = answer.data![field];
    totals.add(connection.totalCount);
    for (const edge of connection.edges) {
      ids.push(edge.node.id);
      times.push(Date.parse(edge.node.timestamp));
      longestCursor = Math.max(longestCursor, edge.cursor.length);
    }
    await onPage?.(page);
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  return { ids, totals, longestCursor, times };
}

const range = `from: "${FROM.toISOString()}", to: "${TO.toISOString()}"`;

describe('a store holding fourteen months', () => {
  it('pages events to the end exactly, newest first and oldest first, while ingest keeps writing', async () => {
    let late = 0;
    const writeMeanwhile = async (page: number) => {
      if (page !== 1) return;
      const at = new Date(now.getTime() - 5_000).toISOString();
      await cairn.producer.send({
        topic: names.topics.orchestrator,
        acks: -1,
        messages: [
          {
            value: JSON.stringify({
              ...exec,
              auditID: 'ffffffff-6a7c-4c55-9d7e-2b1c0e9a4f10',
              requestReceivedTimestamp: at,
              stageTimestamp: at,
            }),
          },
        ],
      });
      late += 1;
    };
    for (const order of ['DESC', 'ASC']) {
      if (order === 'ASC') {
        await eventually(async () => {
          const found = await graphql<{ events: { totalCount: number } }>(
            cairn.api.baseUrl,
            investigator.token,
            `{ events(filter: { products: ["kubernetes"], ${range} }) { totalCount } }`,
          );
          return found.data?.events.totalCount === EXECS + late ? true : undefined;
        }, 'the event written meanwhile');
      }
      const seen = await pageToEnd(
        'events',
        `filter: { products: ["kubernetes"], ${range} }, order: ${order}`,
        investigator.token,
        100,
        order === 'DESC' ? writeMeanwhile : undefined,
      );
      expect(new Set(seen.ids).size).toBe(seen.ids.length);
      expect(seen.totals.size).toBe(1);
      const sorted = [...seen.times].sort((a, b) => (order === 'ASC' ? a - b : b - a));
      expect(seen.times).toEqual(sorted);
      // The cursor does not grow with the number of months the paging reads.
      expect(seen.longestCursor).toBeLessThan(200);
      if (order === 'DESC') expect(seen.ids).toHaveLength(EXECS);
      else expect(seen.ids.length).toBe(EXECS + late);
    }
  });

  it('pages an unbounded query and a three-month range to the end exactly', async () => {
    const everything = await pageToEnd('events', 'filter: { products: ["docker"] }', investigator.token, 25);
    expect(everything.ids).toHaveLength(CONTAINER_EVENTS);
    const quarter = `from: "${monthStart(3).toISOString()}", to: "${monthStart(6).toISOString()}"`;
    const three = await pageToEnd(
      'events',
      `filter: { products: ["kubernetes"], ${quarter} }`,
      investigator.token,
      50,
    );
    expect(three.ids).toHaveLength(3 * EXECS_PER_MONTH);
  });

  it("pages a container's timeline across every month, oldest first", async () => {
    const seen = await pageToEnd(
      'containerTimeline',
      `containerId: "${String(dockerStart.id)}"`,
      investigator.token,
      20,
    );
    // Every exec of the year is into this container's pod, so its timeline holds them too.
    const execs = await graphql<{ events: { totalCount: number } }>(
      cairn.api.baseUrl,
      investigator.token,
      '{ events(filter: { products: ["kubernetes"] }) { totalCount } }',
    );
    expect(execs.data!.events.totalCount).toBeGreaterThanOrEqual(EXECS);
    expect(seen.ids).toHaveLength(CONTAINER_EVENTS + execs.data!.events.totalCount);
    expect(new Set(seen.ids).size).toBe(seen.ids.length);
    expect(seen.times).toEqual([...seen.times].sort((a, b) => a - b));
  });

  it('pages the evidence of a control over the year', async () => {
    const seen = await pageToEnd(
      'complianceEvidence',
      `framework: PCI_DSS, control: "10.2.1.1", ${range}`,
      auditor.token,
      100,
    );
    expect(seen.ids).toHaveLength(EXECS + 1);
    expect(new Set(seen.ids).size).toBe(seen.ids.length);
  });

  it('counts by field and by time over the year exactly', async () => {
    const answer = await graphql<{
      eventStats: { key: string; count: number }[];
      eventHistogram: { count: number }[];
    }>(
      cairn.api.baseUrl,
      investigator.token,
      `{ eventStats(field: ACTOR, filter: { products: ["kubernetes"], ${range} }) { key count }
         eventHistogram(interval: "1d", filter: { products: ["kubernetes"], ${range} }) { count } }`,
    );
    expect(answer.errors).toBeUndefined();
    const stats = Object.fromEntries(answer.data!.eventStats.map((bucket) => [bucket.key, bucket.count]));
    // The event written meanwhile is alice's too.
    expect(stats['alice@example.com']).toBe(EXECS / 2 + 1);
    expect(stats['bob@example.com']).toBe(EXECS / 2);
    expect(answer.data!.eventHistogram.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(EXECS + 1);
  });

  it('reports PCI DSS over the last twelve months and this one', async () => {
    const answer = await graphql<{ complianceReport: { controls: { id: string; evidenceCount: number }[] } }>(
      cairn.api.baseUrl,
      auditor.token,
      `{ complianceReport(framework: PCI_DSS, from: "${REPORT_FROM.toISOString()}", to: "${TO.toISOString()}") {
          controls { id evidenceCount } } }`,
    );
    expect(answer.errors).toBeUndefined();
    const control = answer.data!.complianceReport.controls.find((c) => c.id === '10.2.1.1');
    // Each month's execs are in its first seconds: the oldest month's are before REPORT_FROM.
    expect(control?.evidenceCount).toBe(EXECS - EXECS_PER_MONTH + 1);
  });

  it('re-tags the whole year to the end exactly, and a second run finds nothing stale', async () => {
    const narrowed = join(mkdtempSync(join(tmpdir(), 'cairn-year-')), 'cairn.yaml');
    writeFileSync(
      narrowed,
      'compliance:\n  scopes: { PCI_DSS: { namespaces: [elsewhere] } }\n  adminGroups: [platform-admins]\n',
    );
    const env = { ...appEnvironment(names), CAIRN_CONFIG: narrowed };
    // The access records of the queries above (outcomes follow their answers), searchable before
    // the re-tag reads the store.
    await everyOutcomeRecordStored(names.indexPrefix);
    const client = elasticsearch();
    await client.indices.refresh({ index: `${names.indexPrefix}-*` });
    const run = await runUntilExit('cli', env, 120_000, ['retag']);
    expect(run.code).toBe(0);
    const totals = JSON.parse(run.stdout) as {
      stale: number;
      scanned: number;
      changed: number;
      failed: number;
    };
    expect(totals.failed).toBe(0);
    expect(totals.scanned).toBe(totals.stale);
    // Every exec of the year lost PCI DSS 10.2.1.1 (payments is out of the narrowed scope).
    expect(totals.changed).toBeGreaterThanOrEqual(EXECS + 1);
    await client.indices.refresh({ index: `${names.indexPrefix}-*` });
    const { count } = await client.count({
      index: `${names.indexPrefix}-*`,
      query: { term: { 'cairn.compliance.controls': 'PCI_DSS:10.2.1.1' } },
    });
    await client.close();
    expect(count).toBe(0);
    const again = await runUntilExit('cli', env, 120_000, ['retag']);
    expect(JSON.parse(again.stdout)).toMatchObject({ stale: 0, scanned: 0, changed: 0 });
  });

  it('deletes exactly the months past retention but the one on legal hold, records it, while ingest writes', async () => {
    const days = 300;
    const cutoff = now.getTime() - days * 86_400_000;
    const monthName = (i: number) => {
      const start = monthStart(i);
      return `${names.indexPrefix}-${start.getUTCFullYear()}.${String(start.getUTCMonth() + 1).padStart(2, '0')}`;
    };
    const expired = Array.from({ length: MONTHS }, (_, i) => i)
      .filter((i) => monthStart(i + 1).getTime() <= cutoff)
      .map(monthName);
    expect(expired.length).toBeGreaterThanOrEqual(2);
    const heldIndex = expired[1];
    const client = elasticsearch();
    const held = await client.search({
      index: heldIndex,
      size: 1,
      query: { term: { 'cairn.product': 'kubernetes' } },
    });
    const heldId = held.hits.hits[0]._id!;
    const config = join(mkdtempSync(join(tmpdir(), 'cairn-year-')), 'cairn.yaml');
    writeFileSync(
      config,
      [
        'compliance:',
        '  scopes: { PCI_DSS: { namespaces: [payments] } }',
        `  retention: { days: ${days}, immediateDays: 90 }`,
        'legalHolds:',
        `  - { eventId: ${heldId}, reason: "case 2026-041: keep until the court rules" }`,
        '',
      ].join('\n'),
    );
    const env = { ...appEnvironment(names), CAIRN_CONFIG: config };
    const deletable = expired.filter((index) => index !== heldIndex);

    const dry = await runUntilExit('cli', env, 120_000, ['retention', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      dryRun: true,
      expired,
      deleted: deletable,
      held: [{ index: heldIndex, reasons: ['case 2026-041: keep until the court rules'] }],
    });
    const unconfirmed = await runUntilExit('cli', env, 60_000, ['retention']);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/--confirm/);
    for (const index of expired) expect(await client.indices.exists({ index })).toBe(true);

    // Ingest keeps writing while retention runs.
    const writing = Array.from({ length: 5 }, (_, i) => {
      const at = new Date(now.getTime() - 1_000 * (i + 1)).toISOString();
      return {
        value: JSON.stringify({
          ...exec,
          auditID: `eeeeeee${i}-6a7c-4c55-9d7e-2b1c0e9a4f10`,
          requestReceivedTimestamp: at,
          stageTimestamp: at,
        }),
      };
    });
    const [run] = await Promise.all([
      runUntilExit('cli', env, 120_000, ['retention', '--confirm']),
      cairn.producer.send({ topic: names.topics.orchestrator, acks: -1, messages: writing }),
    ]);
    expect(run.code).toBe(0);
    const outcome = JSON.parse(run.stdout) as { deleted: string[]; claimsRemoved: number };
    expect(outcome.deleted).toEqual(deletable);
    expect(outcome.claimsRemoved).toBe(deletable.length * (EXECS_PER_MONTH + CONTAINER_EVENTS_PER_MONTH));
    for (const index of deletable) expect(await client.indices.exists({ index })).toBe(false);
    expect(await client.indices.exists({ index: heldIndex })).toBe(true);
    await eventually(async () => {
      await client.indices.refresh({ index: `${names.indexPrefix}-*` });
      const { count } = await client.count({
        index: `${names.indexPrefix}-*`,
        query: { prefix: { 'kubernetes.audit_id': 'eeeeeee' } },
      });
      return count === 5 ? true : undefined;
    }, 'the events written meanwhile');
    await client.close();

    const report = await graphql<{ complianceReport: { retention: { lastRun: Record<string, unknown> } } }>(
      cairn.api.baseUrl,
      auditor.token,
      `{ complianceReport(framework: PCI_DSS, from: "${REPORT_FROM.toISOString()}", to: "${TO.toISOString()}") {
          retention { lastRun { at days deletedIndices heldIndices } } } }`,
    );
    expect(report.errors).toBeUndefined();
    expect(report.data!.complianceReport.retention.lastRun).toMatchObject({
      days,
      deletedIndices: deletable,
      heldIndices: [heldIndex],
    });

    // Retention signed, for each chain, how far the deleted months reached before deleting them:
    // their positions are removed, not missing, and the held month's still verify.
    const verified = await integrityReport();
    expect(verified.findings).toEqual([]);
    expect(verified.chains.reduce((sum, chain) => sum + chain.removed, 0)).toBe(
      deletable.length * (EXECS_PER_MONTH + CONTAINER_EVENTS_PER_MONTH),
    );
    // What goes missing after them is still found (an event with a successor, whose link names it).
    const check = elasticsearch();
    const newest = await check.search<{ cairn: { integrity: { chain: string; seq: number } } }>({
      index: `${names.indexPrefix}-*`,
      size: 1,
      query: { prefix: { 'kubernetes.audit_id': 'eeeeeee' } },
    });
    const last = newest.hits.hits[0]._source!.cairn.integrity;
    const before = await check.search<{ cairn: { integrity: { chain: string; seq: number } } }>({
      index: `${names.indexPrefix}-*`,
      size: 1,
      query: {
        bool: {
          filter: [
            { term: { 'cairn.integrity.chain': last.chain } },
            { range: { 'cairn.integrity.seq': { lt: last.seq } } },
          ],
        },
      },
      sort: [{ 'cairn.integrity.seq': 'desc' }],
    });
    const [gone] = before.hits.hits;
    await check.delete({ index: gone._index, id: gone._id!, refresh: true });
    const link = gone._source!.cairn.integrity;
    expect((await integrityReport()).findings).toEqual([
      expect.objectContaining({ kind: 'MISSING', chain: link.chain, seqFrom: link.seq, seqTo: link.seq }),
    ]);
    await check.index({ index: gone._index, id: gone._id!, document: gone._source, refresh: true });
    expect((await integrityReport()).findings).toEqual([]);
    await check.close();
  });
});
