import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { CairnEventError, undeclaredFields, validateAuditEvent } from '@cairn/event-schema';
import { normalizeRawEvent } from './normalize-raw-event';

/**
 * Random and mutated inputs through detection and every normalizer: each run either yields
 * documents that validate against the model (with only declared fields) or a typed error.
 * Nothing else may escape, whatever the input.
 */
const RECEIVED_AT = new Date('2026-11-02T00:00:00Z');

const seeds = readdirSync(__dirname, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(__dirname, entry.name, 'fixtures')))
  .flatMap((entry) => {
    const dir = join(__dirname, entry.name, 'fixtures');
    return readdirSync(dir)
      .filter((name) => name.endsWith('.json') && !name.endsWith('.expected.json'))
      .map((name) => readFileSync(join(dir, name), 'utf8'))
      .flatMap((text) => {
        try {
          const value: unknown = JSON.parse(text);
          return value !== null && typeof value === 'object' ? [value] : [];
        } catch {
          return [];
        }
      });
  });

type Path = (string | number)[];

function paths(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [prefix];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [
    prefix,
    ...keys.flatMap((key) => paths((value as Record<string | number, unknown>)[key], [...prefix, key])),
  ];
}

function mutate(seed: unknown, path: Path, op: 'delete' | 'replace', replacement: unknown): unknown {
  const copy = structuredClone(seed);
  if (path.length === 0) return op === 'replace' ? replacement : copy;
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (op === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    parent[last] = replacement;
  }
  return copy;
}

function check(bytes: Buffer): void {
  let documents;
  try {
    documents = normalizeRawEvent({ bytes, receivedAt: RECEIVED_AT });
  } catch (error) {
    if (error instanceof CairnEventError) return;
    throw error;
  }
  for (const document of documents) {
    validateAuditEvent(document);
    expect(undeclaredFields(document)).toEqual([]);
  }
}

describe('normalizers under random input', () => {
  it('has seeds from every fixture folder', () => expect(seeds.length).toBeGreaterThan(30));

  it('never throws anything but a typed error for mutated real-shaped events', () => {
    const mutation = fc
      .constantFrom(...seeds)
      .chain((seed) =>
        fc.tuple(
          fc.constant(seed),
          fc.constantFrom(...paths(seed)),
          fc.constantFrom<'delete' | 'replace'>('delete', 'replace'),
          fc.jsonValue({ maxDepth: 3 }),
        ),
      );
    fc.assert(
      fc.property(mutation, ([seed, path, op, replacement]) => {
        check(Buffer.from(JSON.stringify(mutate(seed, path, op, replacement))));
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws anything but a typed error for arbitrary JSON and bytes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => check(Buffer.from(JSON.stringify(value) ?? ''))),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => check(Buffer.from(bytes))),
      { numRuns: 1000 },
    );
  });
});
