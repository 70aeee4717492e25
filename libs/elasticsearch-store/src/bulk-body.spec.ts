import { Serializer } from '@elastic/elasticsearch';
import { BulkBody } from './bulk-body';

/** What the Elasticsearch client would have sent for the same lines. */
const clientBody = (lines: unknown[]) => Buffer.from(new Serializer().ndserialize(lines as never), 'utf8');

describe('BulkBody', () => {
  it("writes the same bytes as the client's NDJSON serializer", () => {
    const lines = [
      { create: { _index: 'cairn-events-2026.11', _id: 'a'.repeat(64) } },
      { message: 'plain', event: { original: '{"a":1}\n' }, n: 1.5, list: [true, null] },
      { create: { _index: 'cairn-events.identities', _id: 'b'.repeat(64) } },
      { index: 'cairn-events-2026.11', fingerprint: 'c'.repeat(64) },
    ];
    const body = new BulkBody();
    for (const line of lines) body.line(line);
    expect(body.bytes().equals(clientBody(lines))).toBe(true);
  });

  it('encodes text outside ASCII, surrogate pairs and lone surrogates as the client does', () => {
    const lines = [{ message: 'café — 東京 🚢 \ud800 end', user: { name: 'ß' } }];
    const body = new BulkBody();
    body.line(lines[0]);
    expect(body.bytes().equals(clientBody(lines))).toBe(true);
  });

  it('is exactly as long as its lines, however many and however long', () => {
    const lines = Array.from({ length: 500 }, (_, i) => ({ i, text: `🚢é${'x'.repeat(i * 7)}` }));
    const body = new BulkBody();
    for (const line of lines) body.line(line);
    const bytes = body.bytes();
    expect(bytes.equals(clientBody(lines))).toBe(true);
    expect(bytes.buffer.byteLength).toBe(bytes.length);
  });

  it('is empty without lines', () => {
    expect(new BulkBody().bytes().length).toBe(0);
  });

  it('refuses a value that is not JSON instead of writing a broken line', () => {
    expect(() => new BulkBody().line(undefined)).toThrow('a bulk line must be a JSON value');
  });
});
