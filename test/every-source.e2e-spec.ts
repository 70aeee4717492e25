import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Producer } from 'kafkajs';
import type { RunningApp } from './support/app-process';
import { startCairn, type CairnUnderTest } from './support/cairn-under-test';
import { graphql, newToken } from './support/graphql-client';
import { elasticsearch, eventually, isolatedNames, kafka, KAFKA_BROKERS, REPO } from './support/local-stack';

/**
 * Every golden-file input of every normalizer, through the real Kafka into the real
 * Elasticsearch (whose mapping is strict): each expected document is stored under its expected
 * id, nothing valid is dead-lettered, and a topic bound to one source refuses the others.
 */
const names = isolatedNames('sources');
const investigator = newToken('e2e-sources', 'investigator');
const FIXTURES = join(REPO, 'libs/normalizers/src');
const run = promisify(execFile);

interface Fixture {
  readonly source: string;
  readonly input: Buffer;
  readonly ids: string[];
  /** Its golden file is a refusal (an envelope of no events, say, is neither). */
  readonly refused: boolean;
}

const fixtures: Fixture[] = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'bad-input' && entry.name !== 'common')
  .flatMap((entry) => {
    const dir = join(FIXTURES, entry.name, 'fixtures');
    return readdirSync(dir)
      .filter((name) => name.endsWith('.json') && !name.endsWith('.expected.json'))
      .map((name) => {
        const expected: unknown = JSON.parse(
          readFileSync(join(dir, name.replace(/\.json$/, '.expected.json')), 'utf8'),
        );
        const ids = Array.isArray(expected)
          ? expected.map((doc: { event: { id: string } }) => doc.event.id)
          : [];
        return {
          source: entry.name,
          input: readFileSync(join(dir, name)),
          ids,
          refused: !Array.isArray(expected),
        };
      });
  });
const valid = fixtures.filter((f) => f.ids.length > 0);
const invalid = fixtures.filter((f) => f.refused);
const expectedIds = [...new Set(valid.flatMap((f) => f.ids))];

let cairn: CairnUnderTest;
let api: RunningApp;
let producer: Producer;

beforeAll(async () => {
  cairn = await startCairn(names, {
    CAIRN_TOPIC_REGISTRY_SOURCE: 'harbor',
    CAIRN_API_TOKENS: JSON.stringify([investigator.entry]),
  });
  ({ api, producer } = cairn);
});

afterAll(async () => cairn?.stop());

let readers = 0;

/** Reads the whole dead-letter topic with a fresh group until `count` letters arrived. */
async function deadLetters(count: number): Promise<{ code: string; topic: string }[]> {
  readers += 1;
  const consumer = kafka().consumer({ groupId: `${names.group}-dlq-${readers}` });
  await consumer.connect();
  await consumer.subscribe({ topic: names.topics.deadLetter, fromBeginning: true });
  const letters: { code: string; topic: string }[] = [];
  await consumer.run({
    eachMessage: async ({ message }) => {
      letters.push({
        code: String(message.headers?.['cairn.error.code']),
        topic: String(message.headers?.['cairn.source.topic']),
      });
    },
  });
  try {
    await eventually(async () => (letters.length >= count ? true : undefined), `${count} dead letters`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  } finally {
    await consumer.disconnect();
  }
  return letters;
}

it('stores every expected document of every source, under its expected id', async () => {
  expect(new Set(valid.map((f) => f.source)).size).toBe(8);
  await producer.send({
    topic: names.topics.runtime,
    acks: -1,
    messages: fixtures.map((f) => ({ value: f.input })),
  });
  const client = elasticsearch();
  try {
    const stored = await eventually(async () => {
      await client.indices.refresh({
        index: names.indexPrefix,
        allow_no_indices: true,
        ignore_unavailable: true,
      });
      const response = await client.search({
        index: names.indexPrefix,
        query: { ids: { values: expectedIds } },
        size: expectedIds.length,
        _source: false,
        allow_no_indices: true,
        ignore_unavailable: true,
      });
      return response.hits.hits.length === expectedIds.length ? response.hits.hits : undefined;
    }, `${expectedIds.length} documents`);
    expect(stored.map((hit) => hit._id).sort()).toEqual([...expectedIds].sort());
  } finally {
    await client.close();
  }
  // Only the deliberately invalid fixtures are refused.
  const letters = await deadLetters(invalid.length);
  expect(letters).toHaveLength(invalid.length);
  expect(letters.every((l) => l.topic === names.topics.runtime)).toBe(true);
});

it('answers runtime, registry and detection questions through GraphQL', async () => {
  const query = `query($filter: EventFilter) { events(filter: $filter, first: 100) { totalCount edges { node {
    action product container { id shortId runtime exitCode } pod { namespace name } image { registry repository tag digest }
    process { commandLine } rule { name priority tags } registry { action artifactKind scan { severity critical } }
    kubernetes { cluster }
  } } } }`;
  const run = async (filter: Record<string, unknown>) =>
    (
      await graphql<{ events: { totalCount: number; edges: { node: Record<string, any> }[] } }>(
        api.baseUrl,
        investigator.token,
        query,
        { filter },
      )
    ).data!.events;

  const falco = await run({ products: ['falco'] });
  expect(falco.edges.map((e) => e.node.rule.name)).toContain('Terminal shell in container');
  const shell = falco.edges.find((e) => e.node.rule.name === 'Terminal shell in container')!.node;
  expect(shell).toMatchObject({
    container: { shortId: '4f66ad9a0b2e' },
    pod: { namespace: 'payments' },
    rule: { priority: 'Notice' },
  });

  const execs = await run({ actions: ['container.exec'] });
  // Docker's twice: as today's engines and as engines before API 1.22 report an exec.
  expect(execs.edges.map((e) => e.node.product).sort()).toEqual(['containerd', 'docker', 'docker']);
  expect(execs.edges.find((e) => e.node.product === 'docker')!.node.process.commandLine).toBe(
    'sh -c cat /etc/shadow',
  );

  // Managed clusters' exports name the cluster; a filter finds its events and no others.
  const gke = await run({ cluster: 'payments-eu' });
  expect(gke.edges.map((e) => e.node.action).sort()).toEqual([
    'clusterrolebindings.create',
    'pods.create',
    'pods/exec.create',
  ]);
  expect(gke.edges.map((e) => e.node.kubernetes.cluster)).toEqual([
    'payments-eu',
    'payments-eu',
    'payments-eu',
  ]);

  // Policy decisions: the refused ones (OPA's four, Gatekeeper's two enforced denials; its dryrun
  // one was allowed), with the admission request they refused.
  const refusals = await run({ sourceKinds: ['POLICY'], outcomes: ['FAILURE'] });
  expect(refusals.edges.map((e) => e.node.action)).toEqual(Array(6).fill('policy.decision'));
  expect(
    refusals.edges
      .map((e) => e.node.pod?.name)
      .filter(Boolean)
      .sort(),
  ).toEqual(['checkout-7d9f8b6c5-x2x4q', 'debug-shell', 'debug-shell']);

  const scans = await run({ actions: ['artifact.scan'], outcomes: ['SUCCESS'] });
  expect(scans.edges[0].node.registry).toEqual({
    action: 'scan',
    artifactKind: 'manifest',
    scan: { severity: 'Critical', critical: 1 },
  });
  expect(scans.edges[0].node.image).toMatchObject({
    registry: 'harbor.example.com',
    repository: 'payments/checkout',
    tag: '2.14.1',
  });
});

// Each filter against events that match and events that differ in one fact: filters.e2e-spec.ts.
it('reads query syntax in plain text as words, and refuses a malformed image', async () => {
  const query = `query($filter: EventFilter) { events(filter: $filter, first: 200) { totalCount } }`;
  const words = await graphql<{ events: { totalCount: number } }>(api.baseUrl, investigator.token, query, {
    filter: { text: 'shadow) OR (* AND -x' },
  });
  expect(words.errors).toBeUndefined();
  expect(words.data!.events.totalCount).toBe(0);
  const bad = await graphql(api.baseUrl, investigator.token, query, { filter: { image: 'Not An Image!' } });
  expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});

it('refuses other sources on a topic bound to one', async () => {
  const docker = fixtures.find((f) => f.source === 'docker' && f.ids.length > 0)!;
  await producer.send({ topic: names.topics.registry, acks: -1, messages: [{ value: docker.input }] });
  const letters = await deadLetters(invalid.length + 1);
  expect(letters.filter((l) => l.topic === names.topics.registry)).toEqual([
    { code: 'UNRECOGNIZED_SOURCE', topic: names.topics.registry },
  ]);
});

it('re-drives dead letters to a raw topic after a fix, and re-driving twice stores once', async () => {
  const containerId = randomBytes(32).toString('hex');
  const misrouted = JSON.stringify({
    Type: 'container',
    Action: 'start',
    Actor: { ID: containerId, Attributes: { name: 'redriven', image: 'nginx:1.27' } },
    time: 1773522400,
    timeNano: 1773522400000000000,
  });
  await producer.send({ topic: names.topics.registry, acks: -1, messages: [{ value: misrouted }] });
  await deadLetters(invalid.length + 2);

  const dlq = (...args: string[]) =>
    run(
      process.execPath,
      [join(REPO, 'dist/apps/cli/main.js'), 'dlq', ...args, '--topic', names.topics.deadLetter],
      {
        env: { ...process.env, KAFKA_BROKERS },
      },
    );
  const listed = (
    JSON.parse((await dlq('list', '--from-topic', names.topics.registry)).stdout) as {
      letters: { code: string; bytes: number }[];
    }
  ).letters;
  expect(listed.map((l) => l.code)).toEqual(['UNRECOGNIZED_SOURCE', 'UNRECOGNIZED_SOURCE']);
  expect(listed.map((l) => l.bytes)).toContain(Buffer.byteLength(misrouted));

  const client = elasticsearch();
  const stored = async () => {
    await client.indices.refresh({ index: names.indexPrefix });
    return (
      await client.count({ index: names.indexPrefix, query: { term: { 'container.id': containerId } } })
    ).count;
  };
  try {
    for (let pass = 1; pass <= 2; pass += 1) {
      const redriven = await dlq(
        'redrive',
        '--from-topic',
        names.topics.registry,
        '--to',
        names.topics.runtime,
      );
      expect(JSON.parse(redriven.stdout)).toMatchObject({
        redriven: 2,
        byTopic: { [names.topics.runtime]: 2 },
      });
      await eventually(async () => ((await stored()) === 1 ? true : undefined), 're-driven event stored');
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await stored()).toBe(1);
  } finally {
    await client.close();
  }
});

it('tells the life of a pod from every source, oldest first, and counts by field and by time', async () => {
  const timeline = await graphql<{
    containerTimeline: { totalCount: number; edges: { node: { timestamp: string; product: string } }[] };
  }>(
    api.baseUrl,
    investigator.token,
    `
      {
        containerTimeline(pod: "checkout-6d9f7b8c5-x2kq4", namespace: "payments") {
          totalCount
          edges {
            node {
              timestamp
              product
            }
          }
        }
      }
    `,
  );
  expect(timeline.errors).toBeUndefined();
  const nodes = timeline.data!.containerTimeline.edges.map((edge) => edge.node);
  expect(nodes.map((node) => node.product)).toEqual(expect.arrayContaining(['docker', 'falco']));
  const times = nodes.map((node) => Date.parse(node.timestamp));
  expect(times).toEqual([...times].sort((a, b) => a - b));

  const byContainer = await graphql<{ containerTimeline: { edges: { node: { product: string } }[] } }>(
    api.baseUrl,
    investigator.token,
    '{ containerTimeline(containerId: "7b2f4c6e8a0d") { edges { node { product } } } }',
  );
  expect(byContainer.data!.containerTimeline.edges.map((edge) => edge.node.product)).toContain('docker');
  const neither = await graphql(api.baseUrl, investigator.token, '{ containerTimeline { totalCount } }');
  expect(neither.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

  const runtime = { products: ['docker', 'containerd', 'falco'] };
  const stats = await graphql<{
    eventStats: { key: string; count: number }[];
    events: { totalCount: number };
  }>(
    api.baseUrl,
    investigator.token,
    `
      query ($filter: EventFilter) {
        eventStats(filter: $filter, field: PRODUCT) {
          key
          count
        }
        events(filter: $filter) {
          totalCount
        }
      }
    `,
    { filter: runtime },
  );
  expect(stats.data!.eventStats.map((bucket) => bucket.key).sort()).toEqual([
    'containerd',
    'docker',
    'falco',
  ]);
  const total = stats.data!.events.totalCount;
  expect(stats.data!.eventStats.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(total);

  const histogram = await graphql<{ eventHistogram: { start: string; count: number }[] }>(
    api.baseUrl,
    investigator.token,
    'query($filter: EventFilter) { eventHistogram(filter: $filter, interval: "1h") { start count } }',
    { filter: runtime },
  );
  expect(histogram.data!.eventHistogram.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(total);
  const tooFine = await graphql(
    api.baseUrl,
    investigator.token,
    '{ eventHistogram(filter: { from: "2020-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }, interval: "1s") { count } }',
  );
  expect(tooFine.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  const badInterval = await graphql(
    api.baseUrl,
    investigator.token,
    '{ eventHistogram(interval: "1 week") { count } }',
  );
  expect(badInterval.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});
