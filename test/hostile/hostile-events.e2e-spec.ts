import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { normalizeRawEvent } from '@cairn/normalizers';
import { startCairn, type CairnUnderTest } from '../support/cairn-under-test';
import { readDeadLetters } from '../support/dead-letters';
import { graphql, newToken } from '../support/graphql-client';
import {
  elasticsearch,
  eventually,
  isolatedNames,
  REPO,
  TEST_MAX_EVENT_AGE_DAYS,
} from '../support/local-stack';

/**
 * Events written by someone who wants to bend the store: a timestamp years old (one more monthly
 * index each), a replay moved into another month, another event's identity with other content, a
 * label spelled like the field the identity comes from, a list that fans out without end, a value
 * too long to index. Each has exactly one outcome, checked here on the real stack.
 */
const names = isolatedNames('hostile-events');
const investigator = newToken('e2e-hostile-events', 'investigator');
const fixture = (path: string) =>
  JSON.parse(readFileSync(join(REPO, 'libs/normalizers/src', path), 'utf8')) as Record<string, any>;
const exec = fixture('kubernetes-audit/fixtures/v1-pods-exec.json');
const dockerStart = fixture('docker/fixtures/container-start-kubernetes.json');

const at = (iso: string) => ({ requestReceivedTimestamp: iso, stageTimestamp: iso });
const auditId = (n: number) => `${String(n).padStart(8, '0')}-6a7c-4c55-9d7e-2b1c0e9a4f10`;
const LONG_NAME = `sa-${'x'.repeat(5_000)}`;
/** Ten days older than the oldest event the tests' ingest accepts. */
const ANCIENT = new Date(Date.now() - (TEST_MAX_EVENT_AGE_DAYS + 10) * 86_400_000);
/** CAIRN_MAX_FUTURE_SKEW_SECONDS' default: an event may be this far ahead of the ingest clock. */
const SKEW_MS = 300_000;
// A minute inside and a minute beyond the bound (the ingest clock reads a few seconds later).
const NEAR_FUTURE = new Date(Date.now() + SKEW_MS - 60_000);
const FAR_FUTURE = new Date(Date.now() + SKEW_MS + 60_000);

const MESSAGES = {
  original: exec,
  shiftedReplay: { ...exec, ...at('2026-05-02T08:00:00.000000Z') },
  forgedIdentity: { ...exec, user: { username: 'mallory', groups: ['system:authenticated'] } },
  forgedElsewhere: { ...exec, user: { username: 'mallory' }, ...at('2026-06-09T08:00:00.000000Z') },
  ancient: { ...exec, auditID: auditId(1), ...at(ANCIENT.toISOString()) },
  fanOut: {
    kind: 'EventList',
    apiVersion: 'audit.k8s.io/v1',
    items: [2, 3, 4, 5, 6, 7].map((n) => ({ ...exec, auditID: auditId(n) })),
  },
  smallList: {
    kind: 'EventList',
    apiVersion: 'audit.k8s.io/v1',
    items: [8, 9, 10].map((n) => ({ ...exec, auditID: auditId(n) })),
  },
  labelledDocker: {
    ...dockerStart,
    Actor: {
      ...dockerStart.Actor,
      Attributes: { timeNano: '1000000000000000001', ...dockerStart.Actor.Attributes },
    },
  },
  longKeyword: { ...exec, auditID: auditId(11), user: { username: LONG_NAME, groups: [] } },
  nearFuture: { ...exec, auditID: auditId(12), ...at(NEAR_FUTURE.toISOString()) },
  farFuture: { ...exec, auditID: auditId(13), ...at(FAR_FUTURE.toISOString()) },
};

const idOf = (event: object, receivedAt = new Date()) =>
  normalizeRawEvent({ bytes: Buffer.from(JSON.stringify(event)), receivedAt })[0].event.id;

let cairn: CairnUnderTest;

beforeAll(async () => {
  cairn = await startCairn(names, {
    CAIRN_API_TOKENS: JSON.stringify([investigator.entry]),
    CAIRN_MAX_EVENTS_PER_MESSAGE: '5',
  });
  // One key, one partition: the messages are taken in the order sent, so the original claims first.
  await cairn.producer.send({
    topic: names.topics.orchestrator,
    acks: -1,
    messages: Object.values(MESSAGES)
      .filter((message) => message !== MESSAGES.labelledDocker)
      .map((message) => ({ key: 'one-partition', value: JSON.stringify(message) })),
  });
  await cairn.producer.send({
    topic: names.topics.runtime,
    acks: -1,
    messages: [{ key: 'docker', value: JSON.stringify(MESSAGES.labelledDocker) }],
  });
});

afterAll(async () => cairn?.stop());

async function storedWithId(id: string) {
  const client = elasticsearch();
  try {
    await client.indices.refresh({ index: `${names.indexPrefix}-*` });
    const found = await client.search<{ user?: { name?: string } }>({
      index: `${names.indexPrefix}-*`,
      query: { ids: { values: [id] } },
      size: 10,
    });
    return found.hits.hits;
  } finally {
    await client.close();
  }
}

describe('hostile events', () => {
  let letters: Awaited<ReturnType<typeof readDeadLetters>>;

  beforeAll(async () => {
    letters = await readDeadLetters(names.topics.deadLetter, 5, 3_000);
    // Everything else is stored by the time the last dead letter is written; wait for the last event.
    await eventually(
      async () => ((await storedWithId(idOf(MESSAGES.longKeyword))).length === 1 ? true : undefined),
      'the last event',
    );
  });

  it('dead-letters exactly the five that must not be stored, each with its code', () => {
    expect(letters.map((letter) => letter.headers['cairn.error.code']).sort()).toEqual([
      'IDENTITY_CONFLICT',
      'IDENTITY_CONFLICT',
      'TIMESTAMP_IN_FUTURE',
      'TIMESTAMP_TOO_OLD',
      'TOO_MANY_EVENTS',
    ]);
    const byCode = (code: string) => letters.find((letter) => letter.headers['cairn.error.code'] === code)!;
    expect(JSON.parse(byCode('TIMESTAMP_TOO_OLD').value!.toString())).toEqual(MESSAGES.ancient);
    expect(JSON.parse(byCode('TOO_MANY_EVENTS').value!.toString())).toEqual(MESSAGES.fanOut);
    expect(byCode('TOO_MANY_EVENTS').headers['cairn.error.message']).toMatch(/holds 6 events; at most 5/);
  });

  it('stores an event up to the allowed skew ahead of the ingest clock and refuses one beyond it', async () => {
    await eventually(
      async () => ((await storedWithId(idOf(MESSAGES.nearFuture))).length === 1 ? true : undefined),
      'the event inside the skew',
    );
    expect(await storedWithId(idOf(MESSAGES.farFuture, FAR_FUTURE))).toHaveLength(0);
    const refused = letters.find((letter) => letter.headers['cairn.error.code'] === 'TIMESTAMP_IN_FUTURE')!;
    expect(JSON.parse(refused.value!.toString())).toEqual(MESSAGES.farFuture);
    expect(refused.headers['cairn.error.message']).toMatch(/is more than 300s ahead of the ingest clock/);
  });

  it('never lets an event decide that a monthly index for any year exists', async () => {
    const client = elasticsearch();
    const indices = Object.keys(await client.indices.get({ index: `${names.indexPrefix}-*` }));
    await client.close();
    // Every month ingest wrote to lies inside the accepted window (the bound before now, the skew after).
    const oldest = new Date(Date.now() - TEST_MAX_EVENT_AGE_DAYS * 86_400_000).toISOString().slice(0, 7);
    const newest = new Date(Date.now() + SKEW_MS).toISOString().slice(0, 7);
    const months = indices.map((index) => index.slice(names.indexPrefix.length + 1).replace('.', '-'));
    expect(months).toContain('2026-03');
    for (const month of months) {
      expect(month >= oldest && month <= newest).toBe(true);
    }
    expect(months).not.toContain(ANCIENT.toISOString().slice(0, 7));
  });

  it('stores an id once across months: a replay with a shifted timestamp is a duplicate', async () => {
    const hits = await storedWithId(idOf(MESSAGES.original));
    expect(hits.map((hit) => hit._index)).toEqual([`${names.indexPrefix}-2026.03`]);
    expect(hits[0]._source?.user?.name).toBe('alice@example.com');
  });

  it('dead-letters another event claiming a stored identity, naming the id and both fingerprints', () => {
    const conflicts = letters.filter((letter) => letter.headers['cairn.error.code'] === 'IDENTITY_CONFLICT');
    expect(conflicts.map((letter) => JSON.parse(letter.value!.toString()) as unknown)).toEqual([
      MESSAGES.forgedIdentity,
      MESSAGES.forgedElsewhere,
    ]);
    const conflict = conflicts[0];
    expect(conflict.headers).toMatchObject({
      'cairn.conflict.event_id': idOf(MESSAGES.original),
      'cairn.conflict.stored_index': `${names.indexPrefix}-2026.03`,
      'cairn.conflict.stored_fingerprint': expect.stringMatching(/^[0-9a-f]{64}$/),
      'cairn.conflict.fingerprint': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(conflict.headers['cairn.conflict.fingerprint']).not.toBe(
      conflict.headers['cairn.conflict.stored_fingerprint'],
    );
  });

  it('answers event(id) with the one stored event', async () => {
    const answer = await graphql<{ event: { actor: { name: string } } }>(
      cairn.api.baseUrl,
      investigator.token,
      'query One($id: ID!) { event(id: $id) { actor { name } } }',
      { id: idOf(MESSAGES.original) },
    );
    expect(answer.data?.event.actor.name).toBe('alice@example.com');
  });

  it('stores a list within the cap whole', async () => {
    for (const item of MESSAGES.smallList.items) expect(await storedWithId(idOf(item))).toHaveLength(1);
  });

  it("takes a Docker event's identity from its own timeNano, not from a label of that name", async () => {
    const { timeNano: _label, ...attributes } = MESSAGES.labelledDocker.Actor.Attributes as Record<
      string,
      string
    >;
    const unlabelled = {
      ...MESSAGES.labelledDocker,
      Actor: { ...MESSAGES.labelledDocker.Actor, Attributes: attributes },
    };
    const id = idOf(unlabelled);
    expect(idOf(MESSAGES.labelledDocker)).toBe(id);
    await eventually(
      async () => ((await storedWithId(id)).length === 1 ? true : undefined),
      'the Docker event',
    );
  });

  it('cuts a keyword too long to index, flags it with the whole value’s hash, and keeps it searchable', async () => {
    const [hit] = await storedWithId(idOf(MESSAGES.longKeyword));
    const source = hit._source as { user: { name: string }; cairn: { truncated: unknown } };
    expect(source.user.name).toBe(LONG_NAME.slice(0, 4096));
    expect(source.cairn.truncated).toEqual({
      fields: ['user.name'],
      sha256: [createHash('sha256').update(LONG_NAME).digest('hex')],
    });
    // Searchable by what was kept (a term query on the cut value), where ignore_above would have
    // left a stored value nothing can find.
    const client = elasticsearch();
    const found = await client.count({
      index: `${names.indexPrefix}-*`,
      query: { term: { 'user.name': LONG_NAME.slice(0, 4096) } },
    });
    await client.close();
    expect(found.count).toBe(1);
  });
});
