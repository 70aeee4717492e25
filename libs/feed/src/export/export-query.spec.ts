import { ownRecordsQuery, positionedQuery } from './export-query';

type Query = Record<string, unknown>;
const streamsOf = (query: Query) =>
  (((query.bool as Query).filter as Query[]).at(-1)!.bool as { should: Query[] }).should;
const text = (value: unknown) => JSON.stringify(value);

describe('positionedQuery', () => {
  const marks = {
    committed: new Map([
      ['raw.a/0', 100],
      ['raw.a/1', 7],
    ]),
    topics: ['raw.a', 'raw.b'],
  };

  it('bounds each consumed stream by its committed offset and starts it after the cursor', () => {
    const position = { streams: new Map([['raw.a/0', [40, 2] as const]]) };
    const [a0, a1] = streamsOf(positionedQuery(position, marks, {}));
    expect(text(a0)).toContain('{"range":{"cairn.position.offset":{"lt":100}}}');
    expect(text(a0)).toContain('{"range":{"cairn.position.offset":{"gt":40}}}');
    expect(text(a0)).toContain(
      '{"term":{"cairn.position.offset":40}},{"range":{"cairn.position.item":{"gt":2}}}',
    );
    expect(text(a1)).toContain('{"range":{"cairn.position.offset":{"lt":7}}}');
    expect(text(a1)).not.toContain('"gt"');
  });

  it('leaves out a consumed stream nothing of which is committed, and reads a finished topic to its end', () => {
    const position = {
      streams: new Map([
        ['raw.b/0', [5, 0] as const],
        ['old.topic/3', [9, 0] as const],
      ]),
    };
    const streams = streamsOf(positionedQuery(position, marks, {})).map(text);
    expect(streams.slice(0, -1).some((s) => s.includes('"raw.b"'))).toBe(false);
    const old = streams.find((s) => s.includes('{"term":{"cairn.position.topic":"old.topic"}}'))!;
    expect(old).toContain('{"gt":9}');
    expect(old).not.toContain('"lt"');
    // The catch-all: positioned events of streams nobody named yet, outside the consumed topics.
    expect(streams.at(-1)).toContain('{"terms":{"cairn.position.topic":["raw.a","raw.b"]}}');
  });

  it('applies the filters to every stream', () => {
    const from = new Date('2026-05-01T00:00:00Z');
    const query = positionedQuery({ streams: new Map() }, marks, {
      products: ['falco'],
      sourceKinds: ['RUNTIME'],
      controls: ['PCI_DSS:10.2.1.1'],
      from,
    });
    expect(((query.bool as Query).filter as Query[]).slice(0, 4)).toEqual([
      { terms: { 'cairn.product': ['falco'] } },
      { terms: { 'cairn.source_kind': ['RUNTIME'] } },
      { terms: { 'cairn.compliance.controls': ['PCI_DSS:10.2.1.1'] } },
      { range: { '@timestamp': { gte: '2026-05-01T00:00:00.000Z' } } },
    ]);
  });
});

describe('ownRecordsQuery', () => {
  it('reads only unpositioned records written before the settle time', () => {
    expect(ownRecordsQuery({}, 1000)).toEqual({
      bool: {
        filter: [{ range: { 'event.ingested': { lt: 1000, format: 'epoch_millis' } } }],
        must_not: [{ exists: { field: 'cairn.position.topic' } }],
      },
    });
  });
});
