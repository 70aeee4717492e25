import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { normalizeRawEvent } from '@cairn/normalizers';

/**
 * A known, reproducible workload for fault tests and benchmarks: real-shaped events of every source
 * (the golden fixtures, each variant given its own identity and time), the ids Cairn must store
 * for them, and the bad messages it must dead-letter.
 */
export type RawTopic = 'orchestrator' | 'runtime' | 'registry';

export interface WorkloadMessage {
  readonly topic: RawTopic;
  readonly value: Buffer;
  /** Event ids the message must be stored under; empty for a message that must be dead-lettered. */
  readonly ids: readonly string[];
  /** For bad messages: the dead-letter code expected. */
  readonly expectedCode?: string;
}

type Json = Record<string, unknown>;
type Mutator = (template: Json, variant: Variant) => string;

interface Variant {
  readonly index: number;
  readonly timeMs: number;
  /** Makes source-assigned ids (audit ids, uuids) differ between workloads. */
  readonly seed: string;
}

interface Template {
  readonly source: string;
  readonly topic: RawTopic;
  readonly json: Json;
}

/** Share of each source in the mix, roughly what a busy cluster sends. */
const MIX: readonly [string, number][] = [
  ['kubernetes-audit', 50],
  ['docker', 15],
  ['containerd', 10],
  ['falco', 10],
  ['distribution', 8],
  ['harbor', 7],
];

const TOPIC_OF: Record<string, RawTopic> = {
  'kubernetes-audit': 'orchestrator',
  docker: 'runtime',
  containerd: 'runtime',
  falco: 'runtime',
  distribution: 'registry',
  harbor: 'registry',
};

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'libs', 'normalizers', 'src', 'bad-input', 'fixtures'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the repository root from ' + __dirname);
    dir = parent;
  }
  return dir;
}

const FIXTURES = () => join(repoRoot(), 'libs', 'normalizers', 'src');

const uuid = (...parts: (string | number)[]) => {
  const hex = createHash('sha256').update(parts.join('/')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};
const iso = (ms: number, nanos = 0) =>
  new Date(ms)
    .toISOString()
    .replace(/\.(\d{3})Z$/, (_, millis: string) => `.${millis}${String(nanos).padStart(6, '0')}Z`);
const nanoDigits = (ms: number, index: number) => `${ms}${String(index % 1_000_000).padStart(6, '0')}`;

/** Numbers past 2^53 (nanosecond clocks) cannot go through JSON.stringify; they are spliced in. */
function withExactNumbers(json: Json, exact: Record<string, string>): string {
  let text = JSON.stringify(json);
  for (const [marker, digits] of Object.entries(exact)) text = text.replace(`"${marker}"`, digits);
  return text;
}

const clone = (json: Json): Json => structuredClone(json);

const MUTATORS: Record<string, Mutator> = {
  'kubernetes-audit': (template, { index, timeMs, seed }) => {
    const json = clone(template);
    const stamp = (event: Json, item: number) => {
      event.auditID = uuid(seed, 'k8s', index, item);
      event.requestReceivedTimestamp = iso(timeMs - 3);
      event.stageTimestamp = iso(timeMs);
    };
    if (Array.isArray(json.items)) (json.items as Json[]).forEach(stamp);
    else stamp(json, 0);
    return JSON.stringify(json);
  },
  docker: (template, { index, timeMs }) => {
    const json = clone(template);
    json.time = Math.floor(timeMs / 1000);
    json.timeNano = '__TIME_NANO__';
    return withExactNumbers(json, { __TIME_NANO__: nanoDigits(timeMs, index) });
  },
  containerd: (template, { index, timeMs }) => {
    const json = clone(template);
    json.timestamp = iso(timeMs, index % 1_000_000);
    return JSON.stringify(json);
  },
  falco: (template, { index, timeMs, seed }) => {
    const json = clone(template);
    json.uuid = uuid(seed, 'falco', index);
    json.time = iso(timeMs, index % 1_000_000);
    const fields = json.output_fields as Json | undefined;
    if (fields && 'evt.time' in fields) fields['evt.time'] = '__EVT_TIME__';
    return withExactNumbers(json, { __EVT_TIME__: nanoDigits(timeMs, index) });
  },
  distribution: (template, { index, timeMs, seed }) => {
    const json = clone(template);
    (json.events as Json[]).forEach((event, item) => {
      event.id = uuid(seed, 'distribution', index, item);
      event.timestamp = iso(timeMs);
    });
    return JSON.stringify(json);
  },
  harbor: (template, { index, timeMs, seed }) => {
    const json = clone(template);
    if (typeof json.specversion === 'string') {
      json.id = uuid(seed, 'harbor', index);
      json.time = iso(timeMs);
    } else {
      json.occur_at = Math.floor(timeMs / 1000);
      // Harbor's default payload has no event id; Cairn derives one from what it says, so each
      // variant says something different (a different operator, as many robots would).
      json.operator = `${typeof json.operator === 'string' ? json.operator : 'robot'}-${seed}${index}`;
    }
    return JSON.stringify(json);
  },
};

function isBadFixture(name: string): boolean {
  return name.startsWith('invalid-');
}

function loadTemplates(): Map<string, Template[]> {
  const templates = new Map<string, Template[]>();
  for (const [source] of MIX) {
    const dir = join(FIXTURES(), source, 'fixtures');
    const list = readdirSync(dir)
      .filter((name) => name.endsWith('.json') && !name.endsWith('.expected.json') && !isBadFixture(name))
      .flatMap((name) => {
        try {
          return [
            {
              source,
              topic: TOPIC_OF[source],
              json: JSON.parse(readFileSync(join(dir, name), 'utf8')) as Json,
            },
          ];
        } catch {
          return []; // text-line fixtures (ctr output) are not templates
        }
      });
    templates.set(source, list);
  }
  return templates;
}

export interface WorkloadOptions {
  /** Time of the first event; later events follow `stepMs` apart. */
  readonly startMs?: number;
  readonly stepMs?: number;
  readonly seed?: string;
}

/**
 * `count` valid messages of every source in the MIX proportions, each with the ids Cairn derives
 * for it (computed with the real normalizers, so a test compares against what must be stored).
 */
export function mixedEvents(count: number, options: WorkloadOptions = {}): WorkloadMessage[] {
  const templates = loadTemplates();
  const startMs = options.startMs ?? Date.now() - 2 * 24 * 3600_000;
  const stepMs = options.stepMs ?? 25;
  const weights = MIX.reduce((sum, [, weight]) => sum + weight, 0);
  const schedule = MIX.flatMap(([source, weight]) => Array<string>(weight).fill(source));
  const receivedAt = new Date();
  const seen = new Set<string>();
  const messages: WorkloadMessage[] = [];
  for (let index = 0; messages.length < count; index += 1) {
    const source = schedule[(index * 37) % weights];
    const list = templates.get(source)!;
    const template = list[Math.floor(index / weights) % list.length];
    const value = Buffer.from(
      MUTATORS[source](template.json, { index, timeMs: startMs + index * stepMs, seed: options.seed ?? '' }),
    );
    const ids = normalizeRawEvent({ bytes: value, receivedAt }).map((document) => document.event.id);
    if (ids.some((id) => seen.has(id))) throw new Error(`workload: ${source} variant ${index} repeats an id`);
    ids.forEach((id) => seen.add(id));
    messages.push({ topic: template.topic, value, ids });
  }
  return messages;
}

/** Every bad-input fixture and every source's invalid variants, with the code each must get. */
export function badFixtureMessages(): WorkloadMessage[] {
  const root = FIXTURES();
  const dirs = [
    join(root, 'bad-input', 'fixtures'),
    ...MIX.map(([source]) => join(root, source, 'fixtures')),
  ];
  const messages: WorkloadMessage[] = [];
  for (const dir of dirs) {
    const names = readdirSync(dir).filter(
      (name) =>
        name.endsWith('.json') &&
        !name.endsWith('.expected.json') &&
        (dir.includes('bad-input') || isBadFixture(name)),
    );
    for (const name of names) {
      const value = readFileSync(join(dir, name));
      const expected = JSON.parse(
        readFileSync(join(dir, name.replace(/\.json$/, '.expected.json')), 'utf8'),
      ) as {
        error?: { code: string };
      };
      if (!expected.error) throw new Error(`workload: ${name} is not a bad-input fixture`);
      messages.push({ topic: 'orchestrator', value, ids: [], expectedCode: expected.error.code });
    }
  }
  return messages;
}

/** A message of `bytes` bytes, over CAIRN_MAX_MESSAGE_BYTES when `bytes` is: MESSAGE_TOO_LARGE. */
export function oversizedMessage(bytes: number): WorkloadMessage {
  const head = '{"kind":"Event","apiVersion":"audit.k8s.io/v1","padding":"';
  const value = Buffer.from(head + 'x'.repeat(bytes - head.length - 2) + '"}');
  return { topic: 'orchestrator', value, ids: [], expectedCode: 'MESSAGE_TOO_LARGE' };
}

/**
 * A valid Kubernetes audit event of about `bytes` bytes (a large request object, as a ConfigMap
 * update can carry): over Kafka's 1 MiB default, under Cairn's message limit, so it is stored.
 */
export function largeValidEvent(bytes: number, index: number, timeMs: number): WorkloadMessage {
  const event = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'RequestResponse',
    auditID: uuid('large', index),
    stage: 'ResponseComplete',
    requestURI: '/api/v1/namespaces/payments/configmaps/bundle',
    verb: 'update',
    user: { username: 'alice@example.com', groups: ['platform-admins'] },
    sourceIPs: ['10.0.4.7'],
    objectRef: { resource: 'configmaps', namespace: 'payments', name: 'bundle', apiVersion: 'v1' },
    responseStatus: { code: 200 },
    requestObject: { kind: 'ConfigMap', apiVersion: 'v1', data: { 'bundle.pem': 'A'.repeat(bytes) } },
    requestReceivedTimestamp: iso(timeMs - 5),
    stageTimestamp: iso(timeMs),
  };
  const value = Buffer.from(JSON.stringify(event));
  const ids = normalizeRawEvent({ bytes: value, receivedAt: new Date() }).map(
    (document) => document.event.id,
  );
  return { topic: 'orchestrator', value, ids };
}

/**
 * A valid event dated in `month` (YYYY-MM) whose `message` an index created beforehand maps as a
 * number: Elasticsearch refuses it (400 document_parsing_exception), so it must be dead-lettered.
 */
export function mappingConflictEvent(month: string): WorkloadMessage {
  const event = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    auditID: uuid('conflict', month),
    stage: 'ResponseComplete',
    verb: 'delete',
    user: { username: 'mallory' },
    objectRef: { resource: 'pods', namespace: 'payments', name: 'checkout-0' },
    responseStatus: { code: 200 },
    stageTimestamp: `${month}-15T12:00:00.000000Z`,
  };
  const value = Buffer.from(JSON.stringify(event));
  normalizeRawEvent({ bytes: value, receivedAt: new Date() }); // must itself be valid
  return { topic: 'orchestrator', value, ids: [], expectedCode: 'ELASTICSEARCH_REJECTED' };
}

/**
 * A Docker event whose action is longer than the event model allows (256 characters): the
 * normalizer maps it faithfully, and validation refuses the result: INVALID_NORMALIZED_EVENT.
 */
export function overlongActionEvent(timeMs: number): WorkloadMessage {
  const event = {
    Type: 'container',
    Action: `exec_start_${'x'.repeat(300)}`,
    Actor: { ID: 'f'.repeat(64), Attributes: { name: 'overlong', image: 'nginx:1.27' } },
    scope: 'local',
    time: Math.floor(timeMs / 1000),
  };
  return {
    topic: 'runtime',
    value: Buffer.from(JSON.stringify(event)),
    ids: [],
    expectedCode: 'INVALID_NORMALIZED_EVENT',
  };
}

/** The text that trips ingest's CAIRN_FAILPOINT_NORMALIZER_BUG (set by the fault suite). */
export const NORMALIZER_BUG_MARKER = 'cairn-failpoint-normalizer-bug';

/** A valid Docker event carrying the failpoint's marker: the normalize step throws, NORMALIZER_FAILURE. */
export function normalizerBugEvent(timeMs: number): WorkloadMessage {
  const event = {
    Type: 'container',
    Action: 'start',
    Actor: { ID: 'e'.repeat(64), Attributes: { name: NORMALIZER_BUG_MARKER, image: 'nginx:1.27' } },
    scope: 'local',
    time: Math.floor(timeMs / 1000),
  };
  const value = Buffer.from(JSON.stringify(event));
  normalizeRawEvent({ bytes: value, receivedAt: new Date() }); // valid but for the failpoint
  return { topic: 'runtime', value, ids: [], expectedCode: 'NORMALIZER_FAILURE' };
}
