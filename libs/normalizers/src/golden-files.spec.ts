import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { CairnEventError, undeclaredFields } from '@cairn/event-schema';
import { normalizeRawEvent } from './normalize-raw-event';

/**
 * Golden files: every `<normalizer>/fixtures/<variant>.json` beside `<variant>.expected.json`.
 * UPDATE_GOLDEN=1 rewrites the expected files (review the diff before committing).
 */
// After every fixture's own time: events from the future are refused (TIMESTAMP_IN_FUTURE).
const RECEIVED_AT = new Date('2026-11-02T03:04:05.678Z');
const update = process.env.UPDATE_GOLDEN === '1';

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

function run(bytes: Buffer): unknown {
  try {
    return normalizeRawEvent({ bytes, receivedAt: RECEIVED_AT });
  } catch (error) {
    if (!(error instanceof CairnEventError)) throw error;
    return { error: { code: error.code, message: error.message } };
  }
}

const fixtureSets = readdirSync(__dirname, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(__dirname, entry.name, 'fixtures')))
  .map((entry) => join(__dirname, entry.name, 'fixtures'));

describe.each(fixtureSets)('golden files in %s', (dir) => {
  const inputs = readdirSync(dir).filter(
    (name) => name.endsWith('.json') && !name.endsWith('.expected.json'),
  );

  it('has fixtures', () => expect(inputs.length).toBeGreaterThan(0));

  it.each(inputs)('%s', (name) => {
    const actual = sortKeys(run(readFileSync(join(dir, name))));
    const expectedPath = join(dir, name.replace(/\.json$/, '.expected.json'));
    if (update) writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
    expect(actual).toEqual(JSON.parse(readFileSync(expectedPath, 'utf8')));
    if (Array.isArray(actual)) {
      for (const document of actual) expect(undeclaredFields(document as object)).toEqual([]);
    }
  });
});
