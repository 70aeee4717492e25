import { storedHitsOf, UnreadableSearchAnswerError } from './stored-hits';

const documents = [
  { '@timestamp': '2026-12-01T10:00:00.000Z', event: { id: 'a', original: '{"kind":"Event","x":"}]"}' } },
  { '@timestamp': '2026-12-01T10:00:01.000Z', message: 'quote " and backslash \\ and é' },
];

function answer(overrides: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      took: 3,
      timed_out: false,
      _shards: { total: 2, successful: 2, skipped: 0, failed: 0 },
      hits: {
        total: { value: 2, relation: 'eq' },
        max_score: null,
        hits: documents.map((source, index) => ({
          _index: 'cairn-events-2026.12',
          _id: `id-${index}`,
          _score: null,
          _source: source,
          sort: ['cairn.raw.runtime', 0, 40 + index, 0],
        })),
      },
      ...overrides,
    }),
  );
}

describe('storedHitsOf', () => {
  it('finds each hit’s _source bytes and sort values', () => {
    const body = answer();
    const hits = storedHitsOf(body);
    expect(hits.map((hit) => body.toString('utf8', hit.sourceStart, hit.sourceEnd))).toEqual(
      documents.map((document) => JSON.stringify(document)),
    );
    expect(hits.map((hit) => hit.document())).toEqual(documents);
    expect(hits.map((hit) => hit.sort)).toEqual([
      ['cairn.raw.runtime', 0, 40, 0],
      ['cairn.raw.runtime', 0, 41, 0],
    ]);
  });

  it('reads an answer with no hits', () => {
    expect(storedHitsOf(answer({ hits: { hits: [] } }))).toEqual([]);
  });

  it('refuses an answer some shards did not contribute to: its page would skip their events', () => {
    const partial = answer({ _shards: { total: 2, successful: 1, skipped: 0, failed: 1 } });
    expect(() => storedHitsOf(partial)).toThrow(/1 shards failed/);
  });

  it('refuses what is not a search answer', () => {
    expect(() => storedHitsOf(Buffer.from('<html>bad gateway</html>'))).toThrow(UnreadableSearchAnswerError);
    expect(() => storedHitsOf(Buffer.from('{"error":{"type":"x"}}'))).toThrow(/no "hits"/);
    expect(() => storedHitsOf(Buffer.from('{"hits":{"hits":[{"_id":"1"}]}}'))).toThrow(/has no "_source"/);
  });
});
