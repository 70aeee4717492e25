import { readableBy, unreadablePaths, type ApiRole } from '@cairn/api-policy';
import { storedHitsOf } from './stored-hits';
import type { AuditEventDocument } from '@cairn/event-schema';
import { FORMATS, SIEM_FORMATS } from '@cairn/siem-formats';
import { goldenInputs } from '../../../../test/support/encoder-inputs';
import { encodeExportPage } from './export-encoding';

const documents = [...goldenInputs().values()].flatMap((inputs) =>
  inputs.flatMap((input) => input.documents),
);

/** Elasticsearch's answer holding `sources` as stored (each the bytes ingest wrote). */
function searchAnswer(sources: readonly string[]): Buffer {
  const hits = sources.map(
    (source, index) =>
      `{"_index":"cairn-events-2026.11","_id":"${index}","_score":null,"_source":${source},"sort":[${index}]}`,
  );
  return Buffer.from(`{"took":1,"timed_out":false,"hits":{"hits":[${hits.join(',')}]}}`);
}

const ROLES: ApiRole[] = ['admin', 'investigator', 'auditor', 'siem'];
const options = (role: ApiRole) => ({
  unreadable: unreadablePaths(role),
  readable: (document: AuditEventDocument) => readableBy(role, document),
  encode: { hec: { index: 'audit' } },
});
const lines = (body: Buffer) => body.toString('utf8').split('\n').slice(0, -1);

describe('encodeExportPage', () => {
  it('has golden documents with every restricted field in them', () => {
    expect(documents.some((document) => document.event.original !== undefined)).toBe(true);
    expect(documents.some((document) => document.source?.ip !== undefined)).toBe(true);
  });

  describe.each(ROLES)('for the %s role', (role) => {
    const hits = storedHitsOf(searchAnswer(documents.map((document) => JSON.stringify(document))));

    it.each(SIEM_FORMATS)('encodes %s as the encoder does the document the role may read', (format) => {
      const expected = documents.map((document) =>
        FORMATS[format].encode(readableBy(role, document), options(role).encode),
      );
      const got = lines(encodeExportPage(hits, format, options(role)));
      if (FORMATS[format].isStoredJson) {
        // Copied bytes keep the stored member order; the members are the same.
        expect(got.map((line) => JSON.parse(line) as unknown)).toEqual(
          expected.map((line) => JSON.parse(line) as unknown),
        );
      } else {
        expect(got).toEqual(expected);
      }
    });
  });

  it('never hands a role a field it may not read, however the stored bytes are spaced', () => {
    const spaced = documents.map((document) => JSON.stringify(document, null, 2));
    const escaped = documents.map((document) =>
      JSON.stringify(document).replace('"event":', '"\\u0065vent":'),
    );
    for (const sources of [spaced, escaped]) {
      const body = encodeExportPage(storedHitsOf(searchAnswer(sources)), 'ecs', options('auditor'));
      const got = lines(body).map((line) => JSON.parse(line) as AuditEventDocument);
      expect(got).toHaveLength(documents.length);
      expect(got.filter((document) => document.event.original !== undefined || document.source?.ip)).toEqual(
        [],
      );
    }
  });

  it('copies the stored bytes of a document the role may read whole', () => {
    const stored = documents.map((document) => JSON.stringify(document));
    expect(lines(encodeExportPage(storedHitsOf(searchAnswer(stored)), 'ecs', options('admin')))).toEqual(
      stored,
    );
  });

  it('writes nothing for no hits', () => {
    expect(encodeExportPage([], 'cef', options('siem')).length).toBe(0);
  });
});
