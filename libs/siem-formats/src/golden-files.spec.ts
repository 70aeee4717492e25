import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditEventDocument } from '@cairn/event-schema';
import { OcsfSchema } from '../../../test/support/ocsf-schema';
import { FORMATS, SIEM_FORMATS, type SiemFormat } from './formats';
import { goldenInputs } from '../../../test/support/encoder-inputs';
import { frameSyslog } from './syslog/syslog.frame';

/**
 * Golden files: for every format, `<format>/golden/<source>.<ext>` holds what each normalizer
 * fixture's events encode to (variant by variant). UPDATE_GOLDEN=1 rewrites them; review the diff.
 */
const update = process.env.UPDATE_GOLDEN === '1';
const inputs = goldenInputs();
const SOURCES = [...inputs.keys()].sort();
const JSON_FORMATS: readonly SiemFormat[] = ['ecs', 'ocsf', 'hec'];
const HEC_OPTIONS = { hec: { index: 'audit' } };

function encodeAll(encode: (document: AuditEventDocument) => string, source: string): string {
  const variants = inputs.get(source)!;
  return (
    variants
      .map(({ variant, documents }) => [`# ${variant}`, ...documents.map(encode)].join('\n'))
      .join('\n') + '\n'
  );
}

function rendered(format: SiemFormat, source: string): string {
  const encode = (document: AuditEventDocument) => FORMATS[format].encode(document, HEC_OPTIONS);
  if (!JSON_FORMATS.includes(format)) return encodeAll(encode, source);
  // JSON goldens are pretty-printed so a review can read them; each encoding is still one line.
  const byVariant = Object.fromEntries(
    inputs.get(source)!.map(({ variant, documents }) => [
      variant,
      documents.map((document) => {
        const line = encode(document);
        expect(line).not.toContain('\n');
        return JSON.parse(line) as unknown;
      }),
    ]),
  );
  return `${JSON.stringify(byVariant, null, 2)}\n`;
}

function compareWithGolden(path: string, actual: string): void {
  if (update) {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, actual);
  }
  expect(existsSync(path)).toBe(true);
  expect(actual).toEqual(readFileSync(path, 'utf8'));
}

describe.each(SIEM_FORMATS)('%s golden files', (format) => {
  const extension = JSON_FORMATS.includes(format) ? 'json' : format;
  it.each(SOURCES)('%s', (source) => {
    compareWithGolden(join(__dirname, format, 'golden', `${source}.${extension}`), rendered(format, source));
  });
});

describe('syslog golden files (RFC 5424 with octet counting, carrying CEF)', () => {
  it.each(SOURCES)('%s', (source) => {
    const frame = (document: AuditEventDocument) =>
      frameSyslog(document, FORMATS.cef.encode(document), { hostname: 'cairn-1' });
    compareWithGolden(join(__dirname, 'syslog', 'golden', `${source}.syslog`), encodeAll(frame, source));
  });
});

describe('every OCSF golden output is valid OCSF 1.8.0', () => {
  const schema = new OcsfSchema();
  const cases = SOURCES.flatMap((source) =>
    inputs
      .get(source)!
      .flatMap(({ variant, documents }) =>
        documents.map((document, index) => [`${source}/${variant}#${index}`, document] as const),
      ),
  );

  it.each(cases)('%s', (_name, document) => {
    const event = JSON.parse(FORMATS.ocsf.encode(document)) as Record<string, unknown>;
    expect(schema.validate(event)).toEqual([]);
    expect((event.metadata as { uid: string }).uid).toBe(document.event.id);
  });

  it('covers every class Cairn maps to', () => {
    const classes = new Set(
      cases.map(([, document]) => JSON.parse(FORMATS.ocsf.encode(document)).class_uid as number),
    );
    expect([...classes].sort()).toEqual([1007, 1008, 2002, 2004, 6002, 6003]);
  });
});
