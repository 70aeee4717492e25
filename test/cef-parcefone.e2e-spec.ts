import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AuditEventDocument } from '@cairn/event-schema';
import { encodeCef, severityLevel } from '@cairn/siem-formats';
import { goldenInputs } from './support/encoder-inputs';
import { REPO } from './support/local-stack';

/**
 * Cairn's CEF read back by ParCEFone (com.fluenda:parcefone, the parser Apache NiFi uses) with its
 * field validation on: every line parses, and its header and extensions say what the event says.
 */
interface Parsed {
  readonly ok: boolean;
  readonly error?: string;
  readonly header: Record<string, string>;
  readonly extension: Record<string, string>;
}

const run = promisify(execFile);
const documents = [...goldenInputs().values()].flatMap((inputs) =>
  inputs.flatMap((input) => input.documents),
);
const TEN_POINT = { critical: '10', high: '8', medium: '5', low: '3', informational: '1' };

// ParCEFone hands extension values back as written: the CEF escapes are undone here.
const unescape = (value: string) =>
  value.replace(/\\([\\=nr])/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
const cut = (value: string, max: number) => (value.length <= max ? value : `${value.slice(0, max - 1)}…`);
// Java writes IPv6 in full (2001:db8:0:0:0:0:0:7); URL parsing gives both spellings one form.
const canonical = (ip: string) => new URL(`http://${ip.includes(':') ? `[${ip}]` : ip}`).host;
const sameAddress = (a: string, b: string) => canonical(a) === canonical(b);

let parsed: Parsed[];

beforeAll(async () => {
  const command = execFileSync('bash', [join(REPO, 'tools/cef-check/build.sh')], { encoding: 'utf8' })
    .trim()
    .split(' ');
  const lines = documents.map((document) => encodeCef(document));
  const child = run(command[0], command.slice(1), { maxBuffer: 64 * 1024 * 1024 });
  child.child.stdin!.end(`${lines.join('\n')}\n`);
  parsed = (await child).stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Parsed);
}, 180_000);

describe('CEF through ParCEFone', () => {
  it('parses every line Cairn writes for every source, with CEF field validation on', () => {
    expect(parsed).toHaveLength(documents.length);
    expect(parsed.filter((result) => !result.ok)).toEqual([]);
  });

  it('reads the header as the event: product, action, summary, severity', () => {
    parsed.forEach(({ header }, index) => {
      const document: AuditEventDocument = documents[index];
      expect(header).toMatchObject({
        version: '0',
        deviceVendor: 'Cairn',
        deviceProduct: document.cairn.product,
        deviceVersion: document.cairn.schema_version,
        deviceEventClassId: document.event.action,
        name: document.message ?? document.event.action,
        severity: TEN_POINT[severityLevel(document)],
      });
    });
  });

  it('reads the extensions as the event: time, id, action, outcome, user, client, message, controls', () => {
    parsed.forEach(({ extension }, index) => {
      const document = documents[index];
      const field = (key: string) => (extension[key] === undefined ? undefined : unescape(extension[key]));
      expect(field('rt')).toBe(String(Date.parse(document['@timestamp'])));
      expect(field('externalId')).toBe(document.event.id.slice(0, 40));
      expect(field('flexString1')).toBe(document.event.id);
      expect(field('act')).toBe(document.event.action);
      expect(field('outcome')).toBe(document.event.outcome);
      expect(field('suser')).toBe(document.user?.name);
      expect(field('msg')).toBe(document.message === undefined ? undefined : cut(document.message, 1023));
      const controls = document.cairn.compliance?.controls ?? [];
      expect(field('cs3')).toBe(controls.length > 0 ? controls.join(',') : undefined);
      const address = document.source?.ip?.[0];
      const read = field('src') ?? field('c6a2');
      if (address === undefined) expect(read).toBeUndefined();
      else expect(sameAddress(read!, address)).toBe(true);
    });
  });
});
