import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CairnEventError } from '@cairn/event-schema';
import { normalizeRawEvent } from './normalize-raw-event';

/**
 * Every field of every valid fixture, one at a time given a value of the wrong type: what Cairn
 * does with each (the dead-letter code and the reason, which must name the field; or what it
 * stores, by digest) is a golden file per source, `<source>/wrong-types.golden.json`.
 * UPDATE_GOLDEN=1 rewrites them (review the diff: a changed reason is a changed dead letter).
 */
const RECEIVED_AT = new Date('2026-11-02T03:04:05.678Z');
const update = process.env.UPDATE_GOLDEN === '1';
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The value a sender gets wrong most often in place of each kind. */
function wrongTypeFor(value: Json): Json | undefined {
  if (typeof value === 'string') return 7;
  if (typeof value === 'number') return '7';
  if (typeof value === 'boolean') return 'true';
  if (value === null) return undefined;
  return 'text';
}

/** Every path in the document (objects and lists too), with the document that path changed. */
function* variants(root: Json, path = '', at: (replace: Json) => Json = (v) => v): Generator<[string, Json]> {
  if (path !== '') {
    const wrong = wrongTypeFor(root);
    if (wrong !== undefined) yield [path, at(wrong)];
  }
  if (Array.isArray(root)) {
    for (let i = 0; i < root.length; i += 1) {
      yield* variants(root[i], `${path}[${i}]`, (replace) =>
        at(root.map((item, j) => (j === i ? replace : item))),
      );
    }
  } else if (root !== null && typeof root === 'object') {
    for (const key of Object.keys(root)) {
      const child = root[key];
      yield* variants(child, path === '' ? key : `${path}.${key}`, (replace) =>
        at({ ...root, [key]: replace }),
      );
    }
  }
}

const digest = (value: unknown) =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

function outcome(document: Json): string {
  try {
    const stored = normalizeRawEvent({
      bytes: Buffer.from(JSON.stringify(document)),
      receivedAt: RECEIVED_AT,
    });
    return `stored ${stored.length} (${digest(stored)})`;
  } catch (error) {
    if (!(error instanceof CairnEventError)) throw error;
    return `${error.code}: ${error.message}`;
  }
}

const sources = readdirSync(__dirname, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(__dirname, entry.name, 'fixtures')))
  .map((entry) => entry.name)
  .filter((name) => name !== 'bad-input');

describe.each(sources)('wrong types in %s', (source) => {
  const dir = join(__dirname, source, 'fixtures');
  const goldenPath = join(__dirname, source, 'wrong-types.golden.json');
  const fixtures = readdirSync(dir)
    .filter((name) => name.endsWith('.json') && !name.endsWith('.expected.json'))
    .filter((name) =>
      Array.isArray(JSON.parse(readFileSync(join(dir, name.replace(/\.json$/, '.expected.json')), 'utf8'))),
    )
    .flatMap((name) => {
      try {
        return [[name, JSON.parse(readFileSync(join(dir, name), 'utf8')) as Json] as const];
      } catch {
        return []; // not JSON (a ctr text line): no fields to give wrong types
      }
    });
  // Computed per test, not while collecting: a run that selects one test computes one fixture.
  const golden = (existsSync(goldenPath) ? JSON.parse(readFileSync(goldenPath, 'utf8')) : {}) as Record<
    string,
    Record<string, string>
  >;
  const updated: typeof golden = {};
  afterAll(() => {
    if (!update) return;
    const merged = Object.fromEntries(fixtures.map(([name]) => [name, updated[name] ?? golden[name]]));
    writeFileSync(goldenPath, `${JSON.stringify(merged, null, 2)}\n`);
  });

  it.each(fixtures)('%s', (name, document) => {
    const actual = Object.fromEntries(
      [...variants(document)].map(([path, changed]) => [path, outcome(changed)]),
    );
    updated[name] = actual;
    if (!update) expect(actual).toEqual(golden[name]);
    // Every refusal of a wrong type names the field as the source documents it: its last key.
    for (const [path, result] of Object.entries(actual)) {
      if (!result.startsWith('INVALID_SOURCE_EVENT')) continue;
      const lastKey = path
        .split('.')
        .pop()!
        .replace(/\[\d+\]$/, '');
      expect(`${path} → ${result}`).toContain(lastKey);
    }
  });
});
