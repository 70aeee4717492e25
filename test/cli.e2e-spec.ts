import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runUntilExit } from './support/app-process';
import { startCairn, type CairnUnderTest } from './support/cairn-under-test';
import { newToken } from './support/graphql-client';
import { appEnvironment, elasticsearch, eventually, isolatedNames, REPO } from './support/local-stack';

/**
 * The `cairn` command against the real stack: `produce` sends fixture files to a raw topic,
 * `export` pages the SIEM feed into a file until caught up and, run again with its cursor file,
 * appends only what was stored since (nothing repeated, nothing skipped); refusals exit with the
 * documented statuses.
 */
const names = isolatedNames('cli');
const siem = newToken('e2e-cli-siem', 'siem');
const auditor = newToken('e2e-cli-auditor', 'auditor');
const FIXTURES = join(REPO, 'libs/normalizers/src/docker/fixtures');
const dockerFixtures = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.json') && !name.endsWith('.expected.json') && !name.startsWith('invalid'))
  .map((name) => join(FIXTURES, name));
const idsOf = (file: string): string[] => {
  const expected = JSON.parse(readFileSync(file.replace(/\.json$/, '.expected.json'), 'utf8')) as unknown;
  return Array.isArray(expected) ? expected.map((d: { event: { id: string } }) => d.event.id) : [];
};

let cairn: CairnUnderTest;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cairn-cli-'));
  cairn = await startCairn(names, { CAIRN_API_TOKENS: JSON.stringify([siem.entry, auditor.entry]) });
}, 120_000);

afterAll(async () => {
  await cairn?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[], extra: Record<string, string> = {}) =>
  runUntilExit('cli', { ...appEnvironment(names), CAIRN_API_URL: cairn.api.baseUrl, ...extra }, 60_000, args);

async function storedCount(): Promise<number> {
  const es = elasticsearch();
  try {
    await es.indices.refresh({ index: `${names.indexPrefix}-*`, allow_no_indices: true });
    return (await es.count({ index: `${names.indexPrefix}-*`, allow_no_indices: true })).count;
  } finally {
    await es.close();
  }
}

describe('cairn produce and cairn export', () => {
  const first = dockerFixtures.slice(0, 3);
  const rest = dockerFixtures.slice(3);
  const expected = (files: string[]) => new Set(files.flatMap(idsOf));

  it('sends files to a raw topic and exports what was stored, resuming from its cursor file', async () => {
    expect(rest.length).toBeGreaterThan(0);
    const sent = await cli(['produce', '--to', 'runtime', ...first]);
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.stdout)).toEqual({ topic: names.topics.runtime, sent: first.length });
    const firstIds = expected(first);
    await eventually(
      async () => ((await storedCount()) >= firstIds.size ? true : undefined),
      'the first files stored',
    );

    const out = join(dir, 'feed.ndjson');
    const cursorFile = join(dir, 'feed.cursor');
    const env = { CAIRN_TOKEN: siem.token };
    const exportArgs = [
      'export',
      '--format',
      'ecs',
      '--out',
      out,
      '--cursor-file',
      cursorFile,
      '--limit',
      '2',
    ];
    const lines = () =>
      readFileSync(out, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { event: { id: string } }).event.id);
    // The export serves what ingest has committed: retried until every first event is in it.
    await eventually(async () => {
      const run = await cli(exportArgs, env);
      expect(run.code).toBe(0);
      return new Set(lines()).size >= firstIds.size ? true : undefined;
    }, 'the first events exported');
    expect(new Set(lines())).toEqual(firstIds);
    expect(lines()).toHaveLength(firstIds.size);

    // Later: more events; the same command appends only those.
    expect((await cli(['produce', '--to', 'runtime', ...rest])).code).toBe(0);
    const all = expected(dockerFixtures);
    await eventually(async () => {
      const run = await cli(exportArgs, env);
      expect(run.code).toBe(0);
      return lines().length >= all.size ? true : undefined;
    }, 'the later events exported');
    expect(lines()).toHaveLength(all.size);
    expect(new Set(lines())).toEqual(all);
  }, 180_000);

  it('writes the PCI DSS report as Markdown and as CSV from the API, for an auditor', async () => {
    const env = { CAIRN_TOKEN: auditor.token };
    const window = [
      '--framework',
      'PCI_DSS',
      '--from',
      '2026-01-01T00:00:00Z',
      '--to',
      new Date().toISOString(),
    ];
    const markdown = await cli(['report', ...window], env);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toMatch(/^# PCI DSS compliance report\n/);
    expect(markdown.stdout).toMatch(/\| 10\.2\.1\.1 \| [^|]+ \| (EVIDENCED|NO_EVIDENCE|NOT_APPLICABLE) \|/);
    const file = join(dir, 'pci.csv');
    const csv = await cli(['report', ...window, '--format', 'csv', '--out', file], env);
    expect(csv.code).toBe(0);
    expect(JSON.parse(csv.stdout)).toMatchObject({ framework: 'PCI_DSS', written: file });
    const rows = readFileSync(file, 'utf8').split('\r\n').filter(Boolean);
    expect(rows[0]).toBe('framework,control,title,status,evidence_count,first_seen,last_seen,findings');
    expect(rows.length).toBeGreaterThan(5);
    // The siem role may not read compliance reports: a configuration problem, said as one.
    const refused = await cli(['report', ...window], { CAIRN_TOKEN: siem.token });
    expect(refused.code).toBe(78);
    expect(refused.stderr).toMatch(/CAIRN_TOKEN: the API answered \d+ FORBIDDEN/);
  });

  it('exits 78 for a refused token and 2 for a wrong command line, saying why', async () => {
    const refused = await cli(['export', '--format', 'ecs', '--out', join(dir, 'x')], {
      CAIRN_TOKEN: 'not-a-token',
    });
    expect(refused.code).toBe(78);
    expect(refused.stderr).toMatch(/CAIRN_TOKEN: the API answered 401/);
    const usage = await cli(['export', '--format', 'syslog']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('export: --format is one of ecs, ocsf, cef, leef, hec');
    const unknown = await cli(['produce', '--bogus']);
    expect(unknown.code).toBe(2);
    const none = await cli([]);
    expect(none.code).toBe(2);
    writeFileSync(join(dir, 'empty.json'), '');
    expect((await cli(['produce', join(dir, 'empty.json')])).code).toBe(2);
  });
});
