import type { RunningApp } from './support/app-process';
import { startCairn, type CairnUnderTest } from './support/cairn-under-test';
import { discriminatingEvents, type Facts } from './support/discriminating-events';
import { graphql, newToken } from './support/graphql-client';
import { eventually, isolatedNames } from './support/local-stack';

/**
 * Every filter and every timeline join against events that match and events that differ from
 * them in exactly the one fact the filter reads; each answer must be exactly the expected set of
 * ids, so a filter that is ignored, widened or narrowed fails.
 */
const names = isolatedNames('filters');
const investigator = newToken('e2e-filters', 'investigator');

const A = `a1b2c3d4e5f6${'1'.repeat(52)}`;
const C = `a1b2c3d4e5f6${'2'.repeat(52)}`; // shares A's first 12 characters
const B = `b1b2c3d4e5f6${'1'.repeat(52)}`;
const X = `sha256:${'a'.repeat(64)}`;
const Y = `sha256:${'b'.repeat(64)}`;
const Z = `sha256:${'c'.repeat(64)}`;
const CHECKOUT = 'registry.example.com:5000/payments/checkout';
const START = Math.floor(Date.now() / 1000) * 1000 - 60 * 60_000 + 137;

// One event of each kind, and beside it events that differ from it in exactly one fact.
type Description = Omit<Facts, 'timeMs' | 'label'>;
const runtime = { pod: 'checkout-x', namespace: 'payments', imageName: CHECKOUT, imageTag: '2.14.1' };
const docker: Description = { product: 'docker', ...runtime, containerId: A, digest: X };
const falco: Description = { product: 'falco', ...runtime, containerId: A.slice(0, 12) };
const pull: Description = {
  product: 'distribution',
  repository: 'payments/checkout',
  imageTag: '2.14.1',
  digest: X,
  sourceIp: '2001:db8::15',
};
const request: Description = {
  product: 'kubernetes',
  pod: 'checkout-x',
  namespace: 'payments',
  actor: 'alice',
  resource: 'pods',
  subresource: 'exec',
  sourceIp: '10.0.0.1',
};
const exec: Description = { ...docker, digest: undefined };
const descriptions: (Description & { label: string })[] = [
  { label: 'docker', ...docker },
  { label: 'docker other pod', ...docker, pod: 'checkout-y' },
  { label: 'docker other ns', ...docker, namespace: 'staging' },
  { label: 'docker same prefix', ...docker, containerId: C },
  { label: 'docker other id', ...docker, containerId: B },
  { label: 'docker other tag', ...docker, imageTag: '2.14.2' },
  { label: 'docker other name', ...docker, imageName: `${CHECKOUT}-canary` },
  { label: 'docker other digest', ...docker, digest: Y },
  { label: 'exec shadow', ...exec, command: 'sh -c cat /etc/shadow' },
  { label: 'exec hosts', ...exec, command: 'sh -c cat /etc/hosts' },
  { label: 'falco', ...falco },
  { label: 'falco other id', ...falco, containerId: B.slice(0, 12) },
  { label: 'falco other pod', ...falco, pod: 'checkout-y' },
  { label: 'pull', ...pull },
  { label: 'pull other address', ...pull, sourceIp: '2001:db8::16' },
  { label: 'pull other digest', ...pull, digest: Z },
  { label: 'pull other repository', ...pull, repository: 'payments/ledger' },
  { label: 'pull other tag', ...pull, imageTag: '2.14.2' },
  { label: 'exec request', ...request },
  { label: 'exec by bob', ...request, actor: 'bob' },
  { label: 'exec other pod', ...request, pod: 'checkout-y' },
  { label: 'exec other ns', ...request, namespace: 'staging' },
  { label: 'secret of that name', ...request, resource: 'secrets', subresource: undefined },
  { label: 'exec other address', ...request, sourceIp: '10.0.0.2' },
  { label: 'exec refused', ...request, code: 403 },
];
const events = discriminatingEvents(
  descriptions.map((facts, i) => ({ ...facts, timeMs: START + i * 60_000 })),
);
const all = events.map((event) => event.facts);
const labels = (ids: readonly string[]) =>
  ids.map((id) => events.find((event) => event.id === id)?.facts.label ?? `unknown ${id}`).sort();
const expected = (predicate: (facts: Facts) => boolean) =>
  all
    .filter(predicate)
    .map((f) => f.label)
    .sort();

/** What an image name is on each kind of event: the runtime's image, or the registry's host/path. */
const imageNameOf = (facts: Facts) =>
  facts.product === 'distribution' ? `registry.example.com:5000/${facts.repository}` : facts.imageName;
const podOf = (facts: Facts) =>
  facts.product !== 'kubernetes' || facts.resource === 'pods' ? facts.pod : undefined;

let cairn: CairnUnderTest;
let api: RunningApp;

beforeAll(async () => {
  cairn = await startCairn(names, { CAIRN_API_TOKENS: JSON.stringify([investigator.entry]) });
  api = cairn.api;
  for (const event of events) {
    await cairn.producer.send({
      topic: names.topics[event.topic],
      acks: -1,
      messages: [{ value: event.value }],
    });
  }
  await eventually(
    async () => ((await search({})).length === events.length ? true : undefined),
    'every event to be stored',
  );
});

afterAll(async () => cairn?.stop());

const EVENTS = `query($filter: EventFilter, $order: SortOrder) {
  events(filter: $filter, first: 500, order: $order) { totalCount edges { node { id timestamp } } } }`;

/** The ids found, in the order given; the filter is scoped to the products this test wrote. */
async function search(filter: Record<string, unknown>, order?: string): Promise<string[]> {
  const scoped = { products: ['docker', 'falco', 'distribution', 'kubernetes'], ...filter };
  const answer = await graphql<{ events: { totalCount: number; edges: { node: { id: string } }[] } }>(
    api.baseUrl,
    investigator.token,
    EVENTS,
    { filter: scoped, ...(order ? { order } : {}) },
  );
  expect(answer.errors).toBeUndefined();
  const ids = answer.data!.events.edges.map((edge) => edge.node.id);
  expect(answer.data!.events.totalCount).toBe(ids.length);
  return ids;
}

it.each<[string, Record<string, unknown>, (facts: Facts) => boolean]>([
  ['pod', { pod: 'checkout-x' }, (f) => podOf(f) === 'checkout-x'],
  ['namespace', { namespace: 'payments' }, (f) => f.namespace === 'payments'],
  ['full container id', { containerId: A }, (f) => f.containerId === A || f.containerId === A.slice(0, 12)],
  [
    '12-character container id',
    { containerId: A.slice(0, 12) },
    (f) => !!f.containerId?.startsWith(A.slice(0, 12)),
  ],
  [
    'image with registry and tag',
    { image: `${CHECKOUT}:2.14.1` },
    (f) => imageNameOf(f) === CHECKOUT && f.imageTag === '2.14.1',
  ],
  [
    'image path and tag, as registry events know it',
    { image: 'payments/checkout:2.14.1' },
    (f) => f.product === 'distribution' && f.repository === 'payments/checkout' && f.imageTag === '2.14.1',
  ],
  ['digest', { image: X }, (f) => f.digest === X],
  ['client address (IPv6)', { sourceIp: '2001:db8::15' }, (f) => f.sourceIp === '2001:db8::15'],
  ['client address (IPv4)', { sourceIp: '10.0.0.1' }, (f) => f.sourceIp === '10.0.0.1'],
  ['actor', { actor: 'alice' }, (f) => f.actor === 'alice'],
  ['plain text', { text: 'cat /etc/shadow' }, (f) => f.command === 'sh -c cat /etc/shadow'],
  ['product', { products: ['falco'] }, (f) => f.product === 'falco'],
  ['source kind', { sourceKinds: ['REGISTRY'] }, (f) => f.product === 'distribution'],
  ['action', { actions: ['container.exec'] }, (f) => f.product === 'docker' && f.command !== undefined],
  ['outcome', { outcomes: ['FAILURE'] }, (f) => f.code === 403],
  [
    'two conditions',
    { pod: 'checkout-x', products: ['kubernetes'] },
    (f) => f.product === 'kubernetes' && podOf(f) === 'checkout-x',
  ],
])('%s: exactly the events that match, none that differ in that fact', async (_, filter, predicate) => {
  const found = await search(filter);
  expect(labels(found)).toEqual(expected(predicate));
  // Something matched and something did not: the data discriminates.
  expect(found.length).toBeGreaterThan(0);
  expect(found.length).toBeLessThan(events.length);
});

it('treats `from` as inclusive and `to` as exclusive, on the event time to the millisecond', async () => {
  // A request (millisecond times; Docker reports whole seconds) with a millisecond part.
  const pivot = all.find((f) => f.label === 'exec request')!;
  expect(pivot.timeMs % 1000).not.toBe(0);
  const at = new Date(pivot.timeMs).toISOString();
  const later = new Date(pivot.timeMs + 1).toISOString();
  expect(labels(await search({ from: at }))).toEqual(expected((f) => f.timeMs >= pivot.timeMs));
  expect(labels(await search({ to: at }))).toEqual(expected((f) => f.timeMs < pivot.timeMs));
  expect(labels(await search({ from: at, to: later }))).toEqual([pivot.label]);
});

it('answers newest first unless asked otherwise', async () => {
  const newestFirst = [...events].sort((a, b) => b.facts.timeMs - a.facts.timeMs).map((e) => e.id);
  expect(await search({})).toEqual(newestFirst);
  expect(await search({}, 'DESC')).toEqual(newestFirst);
  expect(await search({}, 'ASC')).toEqual([...newestFirst].reverse());
});

const TIMELINE = `query($pod: String, $namespace: String, $containerId: String) {
  containerTimeline(pod: $pod, namespace: $namespace, containerId: $containerId, first: 500) {
    totalCount edges { node { id timestamp } } } }`;

async function timeline(subject: Record<string, string>): Promise<string[]> {
  const answer = await graphql<{
    containerTimeline: { totalCount: number; edges: { node: { id: string } }[] };
  }>(api.baseUrl, investigator.token, TIMELINE, subject);
  expect(answer.errors).toBeUndefined();
  const ids = answer.data!.containerTimeline.edges.map((edge) => edge.node.id);
  expect(answer.data!.containerTimeline.totalCount).toBe(ids.length);
  return ids;
}

/** Registry events join a timeline through the digests its runtime events name. */
function withRegistry(seed: (facts: Facts) => boolean): string[] {
  const digests = new Set(all.filter((f) => f.product !== 'distribution' && seed(f)).map((f) => f.digest));
  return expected((f) => seed(f) || (f.product === 'distribution' && digests.has(f.digest)));
}

it("tells a pod's life from its own events, its requests and its images' registry events, oldest first", async () => {
  const found = await timeline({ pod: 'checkout-x', namespace: 'payments' });
  expect(labels(found)).toEqual(withRegistry((f) => podOf(f) === 'checkout-x' && f.namespace === 'payments'));
  const times = found.map((id) => events.find((event) => event.id === id)!.facts.timeMs);
  expect(times).toEqual([...times].sort((a, b) => a - b));
});

/** A container's timeline also holds the Kubernetes requests on the pods its own events name. */
function withPodRequests(seed: (facts: Facts) => boolean): string[] {
  const pods = new Set(all.filter((f) => f.containerId && seed(f)).map((f) => `${f.namespace}/${f.pod}`));
  const requests = (f: Facts) =>
    f.product === 'kubernetes' && f.resource === 'pods' && pods.has(`${f.namespace}/${f.pod}`);
  return [...new Set([...withRegistry(seed), ...expected(requests)])].sort();
}

it("tells a container's life from a 12-character id and from the full id, with the requests on its pods", async () => {
  const byPrefix = (f: Facts) => f.product !== 'distribution' && !!f.containerId?.startsWith(A.slice(0, 12));
  const found = await timeline({ containerId: A.slice(0, 12) });
  expect(labels(found)).toEqual(withPodRequests(byPrefix));
  expect(labels(found)).toContain('exec refused');
  expect(labels(await timeline({ containerId: A }))).toEqual(
    withPodRequests((f) => f.containerId === A || f.containerId === A.slice(0, 12)),
  );
});
