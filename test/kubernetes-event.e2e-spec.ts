import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Admin, Producer } from 'kafkajs';
import type { RunningApp } from './support/app-process';
import { startCairn, type CairnUnderTest } from './support/cairn-under-test';
import { graphql, newToken } from './support/graphql-client';
import { elasticsearch, eventually, isolatedNames, kafka, REPO } from './support/local-stack';

/**
 * One Kubernetes audit event from the real Kafka to a GraphQL answer from the real Elasticsearch,
 * with a malformed message beside it that must land in the dead-letter topic, untouched.
 */
const names = isolatedNames('k8s');
const investigator = newToken('e2e-investigator', 'investigator');
const auditor = newToken('e2e-auditor', 'auditor');
const siem = newToken('e2e-siem', 'siem');
const fixture = readFileSync(join(REPO, 'libs/normalizers/src/kubernetes-audit/fixtures/v1-pods-exec.json'));
const GARBAGE = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x00, 0x6e, 0x6f, 0x74, 0x20, 0x6a, 0x73, 0x6f, 0x6e]);

const EVENTS_QUERY = `query Events($filter: EventFilter) {
  events(filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id timestamp ingestedAt sourceKind product action category type outcome message
      actor { name id groups sourceIps userAgent }
      kubernetes { verb resource subresource namespace name auditId stage responseCode decision }
    } }
  }
}`;

type EventsData = {
  events: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: Record<string, any> }[];
  };
};

let cairn: CairnUnderTest;
let api: RunningApp;
let producer: Producer;
let admin: Admin;

beforeAll(async () => {
  cairn = await startCairn(names, {
    CAIRN_API_TOKENS: JSON.stringify([investigator.entry, auditor.entry, siem.entry]),
  });
  ({ api, producer, admin } = cairn);
});

afterAll(async () => cairn?.stop());

async function committedEverything(): Promise<boolean> {
  const topicOffsets = await admin.fetchTopicOffsets(names.topics.orchestrator);
  const [committed] = await admin.fetchOffsets({ groupId: names.group, topics: [names.topics.orchestrator] });
  return topicOffsets.every((end) => {
    const done = committed.partitions.find((p) => p.partition === end.partition);
    return end.high === '0' || done?.offset === end.high;
  });
}

describe('a Kubernetes audit event, end to end', () => {
  it('is consumed from Kafka, stored in Elasticsearch and returned by GraphQL', async () => {
    await producer.send({
      topic: names.topics.orchestrator,
      acks: -1,
      messages: [{ value: fixture }, { key: 'bad', value: GARBAGE }],
    });

    const answer = await eventually(async () => {
      const response = await graphql<EventsData>(api.baseUrl, investigator.token, EVENTS_QUERY, {
        filter: { namespace: 'payments' },
      });
      return response.data?.events.totalCount === 1 ? response : undefined;
    }, 'the event to be searchable');

    const node = answer.data!.events.edges[0].node;
    expect(node).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{64}$/),
      timestamp: '2026-03-14T21:07:12.160Z',
      ingestedAt: expect.any(String),
      sourceKind: 'ORCHESTRATOR',
      product: 'kubernetes',
      action: 'pods/exec.create',
      category: ['api'],
      type: ['creation'],
      outcome: 'SUCCESS',
      message: 'alice@example.com pods/exec.create payments/checkout-6d9f7b8c5-x2kq4 -> 101',
      actor: {
        name: 'alice@example.com',
        id: 'oidc:7d1e',
        groups: ['platform-admins', 'system:authenticated'],
        sourceIps: ['10.20.30.40', '192.168.1.7'],
        userAgent: 'kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46',
      },
      kubernetes: {
        verb: 'create',
        resource: 'pods',
        subresource: 'exec',
        namespace: 'payments',
        name: 'checkout-6d9f7b8c5-x2kq4',
        auditId: '3f0b8d1e-6a7c-4c55-9d7e-2b1c0e9a4f10',
        stage: 'ResponseStarted',
        responseCode: 101,
        decision: 'allow',
      },
    });
    expect(answer.data!.events.pageInfo).toEqual({
      hasNextPage: false,
      endCursor: answer.data!.events.edges[0].cursor,
    });

    // Stored in the monthly index of the event's own time, read through the alias.
    const client = elasticsearch();
    const stored = await client.get({ index: `${names.indexPrefix}-2026.03`, id: node.id });
    expect(stored.found).toBe(true);
    await client.close();
  });

  it('sends the malformed message to the dead-letter topic with its original bytes and the reason', async () => {
    const consumer = kafka().consumer({ groupId: `${names.group}-dlq-reader` });
    await consumer.connect();
    await consumer.subscribe({ topic: names.topics.deadLetter, fromBeginning: true });
    const letters: { value: Buffer | null; headers: Record<string, string> }[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([key, value]) => [key, String(value)]),
        );
        letters.push({ value: message.value, headers });
      },
    });
    await eventually(async () => (letters.length >= 1 ? true : undefined), 'a dead letter');
    await consumer.disconnect();

    expect(letters).toHaveLength(1);
    expect(letters[0].value).toEqual(GARBAGE);
    expect(letters[0].headers).toMatchObject({
      'cairn.error.code': 'INVALID_UTF8',
      'cairn.source.topic': names.topics.orchestrator,
      'cairn.source.offset': expect.stringMatching(/^\d+$/),
      'cairn.error.attempts': '1',
    });
    expect(letters[0].headers['cairn.error.message']).toBe('message is not valid UTF-8');
  });

  it('stores a replayed event once (deterministic id, create-only writes)', async () => {
    await producer.send({
      topic: names.topics.orchestrator,
      acks: -1,
      messages: [{ value: fixture }, { value: fixture }],
    });
    await eventually(
      async () => ((await committedEverything()) ? true : undefined),
      'ingest to commit the replay',
    );
    const client = elasticsearch();
    await client.indices.refresh({ index: names.indexPrefix });
    // Only the source's events: the API's own access records live in the same indices.
    const count = await client.count({
      index: names.indexPrefix,
      query: { term: { 'cairn.product': 'kubernetes' } },
    });
    await client.close();
    expect(count.count).toBe(1);
  });

  it('looks an event up by id, and only for roles that may read events', async () => {
    const list = await graphql<EventsData>(api.baseUrl, investigator.token, EVENTS_QUERY, {
      filter: { products: ['kubernetes'] },
    });
    const id = list.data!.events.edges[0].node.id as string;
    const byId = `query($id: ID!) { event(id: $id) { id action original } }`;

    const asInvestigator = await graphql<{ event: { id: string; original: string } }>(
      api.baseUrl,
      investigator.token,
      byId,
      { id },
    );
    expect(asInvestigator.data?.event.id).toBe(id);
    expect(JSON.parse(asInvestigator.data!.event.original)).toMatchObject({
      auditID: '3f0b8d1e-6a7c-4c55-9d7e-2b1c0e9a4f10',
    });

    const asAuditor = await graphql<{ event: { id: string; original: string | null } }>(
      api.baseUrl,
      auditor.token,
      byId,
      { id },
    );
    expect(asAuditor.data?.event).toEqual({ id, action: 'pods/exec.create', original: null });
    expect(asAuditor.errors?.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([
      ['event.original', 'FORBIDDEN'],
    ]);

    // Client addresses are for investigators: an auditor sees who, not from where.
    const actorQuery = `query($id: ID!) { event(id: $id) { actor { name sourceIps } } }`;
    const actorAsAuditor = await graphql<{ event: { actor: { name: string; sourceIps: null } } }>(
      api.baseUrl,
      auditor.token,
      actorQuery,
      { id },
    );
    expect(actorAsAuditor.data?.event.actor).toEqual({ name: 'alice@example.com', sourceIps: null });
    expect(actorAsAuditor.errors?.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([
      ['event.actor.sourceIps', 'FORBIDDEN'],
    ]);
    const actorAsInvestigator = await graphql<{ event: { actor: { sourceIps: string[] } } }>(
      api.baseUrl,
      investigator.token,
      actorQuery,
      { id },
    );
    expect(actorAsInvestigator.data?.event.actor.sourceIps.length).toBeGreaterThan(0);

    const asSiem = await graphql<{ event: unknown }>(api.baseUrl, siem.token, byId, { id });
    expect(asSiem.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(asSiem.data?.event ?? null).toBeNull();

    for (const token of [undefined, 'cairn_not_a_configured_token_at_all']) {
      const anonymous = await graphql(api.baseUrl, token, byId, { id });
      expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses page sizes above the cap and cursors it did not issue', async () => {
    const tooMany = await graphql(api.baseUrl, investigator.token, '{ events(first: 501) { totalCount } }');
    expect(tooMany.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const forged = await graphql(
      api.baseUrl,
      investigator.token,
      '{ events(after: "eyJxdWVyeSI6MX0") { totalCount } }',
    );
    expect(forged.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('counts what became of every message on /metrics', async () => {
    const response = await fetch(`${cairn.ingest.baseUrl}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    const value = (line: string) =>
      Number(new RegExp(`^${line.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value(`cairn_ingest_messages_received_total{topic="${names.topics.orchestrator}"}`)).toBe(4);
    expect(value('cairn_ingest_documents_stored_total')).toBe(1);
    expect(value('cairn_ingest_documents_duplicate_total')).toBe(2);
    expect(value('cairn_ingest_dead_letters_total{code="INVALID_UTF8"}')).toBe(1);
    expect(text).toMatch(/^cairn_ingest_bulk_duration_seconds_count \d+$/m);
    expect(text).toMatch(/^cairn_ingest_process_resident_memory_bytes \d+/m);
  });
});
