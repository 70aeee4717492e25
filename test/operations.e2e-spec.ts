import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { normalizeRawEvent } from '@cairn/normalizers';
import { runUntilExit } from './support/app-process';
import { startCairn, type CairnUnderTest } from './support/cairn-under-test';
import { readDeadLetters } from './support/dead-letters';
import { newToken } from './support/graphql-client';
import {
  appEnvironment,
  elasticsearch,
  eventually,
  isolatedNames,
  kafka,
  KAFKA_BROKERS,
  REPO,
} from './support/local-stack';
import { mappingConflictEvent } from './support/workload';

/**
 * The operator's tools on the real stack: re-driving dead letters after a fix (by code, to the
 * topic each came from, marked as re-driven), and retag's exit codes and its resumption after a
 * run in which some updates failed.
 */
const names = isolatedNames('operations');
const CONFLICT_MONTH = (() => {
  const date = new Date();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() - 2);
  return date.toISOString().slice(0, 7);
})();
const conflictIndex = `${names.indexPrefix}-${CONFLICT_MONTH.replace('-', '.')}`;
const conflicting = mappingConflictEvent(CONFLICT_MONTH);
const conflictingId = normalizeRawEvent({ bytes: conflicting.value, receivedAt: new Date() })[0].event.id;
const run = promisify(execFile);

let cairn: CairnUnderTest;

beforeAll(async () => {
  // The API is not asked anything here, but it starts only with a token configured.
  cairn = await startCairn(names, {
    CAIRN_API_TOKENS: JSON.stringify([newToken('e2e-operations', 'admin').entry]),
  });
});

afterAll(async () => cairn?.stop());

const dlq = (...args: string[]) =>
  run(
    process.execPath,
    [join(REPO, 'dist/apps/cli/main.js'), 'dlq', ...args, '--topic', names.topics.deadLetter],
    {
      env: { ...process.env, KAFKA_BROKERS },
    },
  );

async function storedCount(id: string): Promise<number> {
  const es = elasticsearch();
  try {
    await es.indices.refresh({ index: `${names.indexPrefix}-*` });
    return (await es.count({ index: `${names.indexPrefix}-*`, query: { ids: { values: [id] } } })).count;
  } finally {
    await es.close();
  }
}

/** Every message on a raw topic, with its headers. */
async function rawMessages(topic: string, count: number) {
  const consumer = kafka().consumer({ groupId: `${names.group}-raw-${Date.now()}` });
  const seen: { value: string; headers: Record<string, string> }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      seen.push({
        value: message.value?.toString() ?? '',
        headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
      });
    },
  });
  try {
    await eventually(async () => (seen.length >= count ? true : undefined), `${count} messages on ${topic}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return seen;
  } finally {
    await consumer.disconnect();
  }
}

describe('dead-letter re-drive', () => {
  it('sends back only the chosen code, to the topic each letter came from, marked as re-driven', async () => {
    // A month whose index maps `message` as a number: Elasticsearch refuses the event. Beside it,
    // a message no fix will make valid.
    const es = elasticsearch();
    await es.indices
      .create({ index: conflictIndex, mappings: { properties: { message: { type: 'long' } } } })
      .finally(() => es.close());
    await cairn.producer.send({
      topic: names.topics.orchestrator,
      acks: -1,
      messages: [{ value: conflicting.value }, { value: Buffer.from('{"kind": "Event", ') }],
    });
    const letters = await readDeadLetters(names.topics.deadLetter, 2);
    expect(letters.map((letter) => letter.headers['cairn.error.code']).sort()).toEqual([
      'ELASTICSEARCH_REJECTED',
      'MALFORMED_JSON',
    ]);

    // The fix: the month's index goes (ingest makes it again from the template).
    const admin = elasticsearch();
    await admin.indices.delete({ index: conflictIndex }).finally(() => admin.close());
    const redriven = await dlq('redrive', '--code', 'ELASTICSEARCH_REJECTED');
    expect(JSON.parse(redriven.stdout)).toEqual({
      topic: names.topics.deadLetter,
      redriven: 1,
      byTopic: { [names.topics.orchestrator]: 1 },
    });
    await eventually(
      async () => ((await storedCount(conflictingId)) === 1 ? true : undefined),
      'the re-driven event',
    );

    // Back on its own raw topic: the original bytes, and where it was re-driven from.
    const raw = await rawMessages(names.topics.orchestrator, 3);
    const again = raw.filter((message) => message.headers['cairn.redriven_from'] !== undefined);
    expect(again).toHaveLength(1);
    expect(again[0].value).toBe(conflicting.value.toString());
    const letter = letters.find((l) => l.headers['cairn.error.code'] === 'ELASTICSEARCH_REJECTED')!;
    expect(again[0].headers['cairn.redriven_from']).toMatch(
      new RegExp(`^${names.topics.deadLetter}/\\d+/\\d+$`),
    );
    expect(letter.value!.toString()).toBe(conflicting.value.toString());
    // The malformed message was left alone: nothing new was dead-lettered.
    expect(await readDeadLetters(names.topics.deadLetter, 2)).toHaveLength(2);
  });
});

describe('retag', () => {
  const monthsAgo = (months: number) => {
    const date = new Date();
    date.setUTCDate(10);
    date.setUTCMonth(date.getUTCMonth() - months);
    return date;
  };
  const exec = JSON.parse(
    readFileSync(join(REPO, 'libs/normalizers/src/kubernetes-audit/fixtures/v1-pods-exec.json'), 'utf8'),
  ) as Record<string, unknown>;
  // Two events in each of two months, in the namespace the new scope makes cardholder data.
  const events = [3, 3, 4, 4].map((months, i) => {
    const at = new Date(monthsAgo(months).getTime() + i * 1000).toISOString();
    const value = Buffer.from(
      JSON.stringify({
        ...exec,
        auditID: `${String(i).padStart(8, '0')}-0c1d-4e2f-8a3b-4c5d6e7f8091`,
        requestReceivedTimestamp: at,
        stageTimestamp: at,
      }),
    );
    return { value, id: normalizeRawEvent({ bytes: value, receivedAt: new Date() })[0].event.id };
  });
  const blocked = `${names.indexPrefix}-${monthsAgo(4).toISOString().slice(0, 7).replace('-', '.')}`;
  let env: Record<string, string>;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-retag-'));
    const config = join(dir, 'cairn.yaml');
    writeFileSync(config, 'compliance:\n  scopes: { PCI_DSS: { namespaces: [payments] } }\n');
    env = { ...appEnvironment(names), CAIRN_CONFIG: config };
    await cairn.producer.send({
      topic: names.topics.orchestrator,
      acks: -1,
      messages: events.map((event) => ({ value: event.value })),
    });
    for (const event of events) {
      await eventually(async () => ((await storedCount(event.id)) === 1 ? true : undefined), 'the events');
    }
  });

  const retagRun = async () => {
    const exited = await runUntilExit('cli', env, 60_000, ['retag']);
    return {
      code: exited.code,
      totals: JSON.parse(exited.stdout) as Record<string, number>,
      stderr: exited.stderr,
    };
  };

  it('exits 78 naming a bad setting, and writes nothing', async () => {
    const exited = await runUntilExit('cli', { ...env, ELASTICSEARCH_URL: 'not-a-url' }, 30_000, ['retag']);
    expect(exited.code).toBe(78);
    expect(exited.stderr).toMatch(/^\s+- ELASTICSEARCH_URL: must be an http:\/\/ or https:\/\/ URL/m);
    expect(exited.stdout).toBe('');
  });

  it('exits 1 when updates fail, keeps those stale, and the next run does only them', async () => {
    const es = elasticsearch();
    try {
      await es.indices.putSettings({ index: blocked, settings: { 'index.blocks.write': true } });
      const first = await retagRun();
      expect(first.code).toBe(1);
      // Everything stored is stale (the scope changed); the two events in the blocked month fail.
      const stored = (await es.count({ index: `${names.indexPrefix}-*` })).count;
      expect(first.totals).toMatchObject({ stale: stored, scanned: stored, failed: 2 });

      await es.indices.putSettings({ index: blocked, settings: { 'index.blocks.write': false } });
      const second = await retagRun();
      expect(second.code).toBe(0);
      expect(second.totals).toMatchObject({ stale: 2, scanned: 2, failed: 0, changed: 2 });

      const third = await retagRun();
      expect(third.code).toBe(0);
      expect(third.totals).toMatchObject({ stale: 0, scanned: 0, changed: 0, failed: 0 });
    } finally {
      await es.indices
        .putSettings({ index: blocked, settings: { 'index.blocks.write': false } })
        .catch(() => undefined);
      await es.close();
    }
  });
});
