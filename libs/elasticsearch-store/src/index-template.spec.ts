import { FIELD_CATALOG } from '@cairn/event-schema';
import { buildIndexTemplate, mappingProperties } from './index-template';
import { monthlyIndexName } from './index-names';
import { CursorCodec, InvalidCursorError } from './search-cursor';
import { buildEventQuery } from './event-query';

const config = {
  url: 'http://127.0.0.1:9200',
  nodes: ['http://127.0.0.1:9200'],
  indexPrefix: 'cairn-events',
  replicas: 0,
  shards: 1,
  refreshInterval: '5s',
  requestTimeoutMs: 1000,
};

describe('index template', () => {
  it('is generated from the field catalog, strict, with the read alias', () => {
    const template = buildIndexTemplate(config);
    expect(template.index_patterns).toEqual(['cairn-events-*']);
    expect(template.template?.aliases).toEqual({ 'cairn-events': {} });
    expect(template.template?.mappings?.dynamic).toBe('strict');
    expect(template.template?.settings).toMatchObject({ number_of_replicas: 0, refresh_interval: '5s' });
  });

  it('stores documents in chain order, so a chain is read where it lies', () => {
    expect(buildIndexTemplate(config).template?.settings?.sort).toEqual({
      field: ['cairn.integrity.chain', 'cairn.integrity.seq'],
      order: ['asc', 'asc'],
    });
  });

  it('maps every catalog field, nested by its dotted name', () => {
    const properties = mappingProperties() as Record<string, any>;
    expect(properties['@timestamp']).toEqual({ type: 'date' });
    expect(properties.event.properties.original).toEqual({
      type: 'keyword',
      index: false,
      doc_values: false,
    });
    expect(properties.source.properties.ip).toEqual({ type: 'ip' });
    expect(properties.kubernetes.properties.authorization.properties.decision.type).toBe('keyword');
    const leaves = (props: Record<string, any>): number =>
      Object.values(props).reduce((n: number, p: any) => n + (p.properties ? leaves(p.properties) : 1), 0);
    expect(leaves(properties)).toBe(FIELD_CATALOG.length);
  });

  it('refuses a catalog that declares a field twice or under a leaf', () => {
    const field = { name: 'a', type: 'keyword' as const, description: '', example: '' };
    expect(() => mappingProperties([field, field])).toThrow(/declared twice/);
    expect(() => mappingProperties([field, { ...field, name: 'a.b' }])).toThrow(/nests under a leaf/);
  });
});

describe('monthlyIndexName', () => {
  it('uses the UTC month of the event itself', () => {
    expect(monthlyIndexName('cairn-events', '2026-03-31T23:59:59.999Z')).toBe('cairn-events-2026.03');
    expect(monthlyIndexName('cairn-events', '2026-04-01T00:30:00+02:00')).toBe('cairn-events-2026.03');
    expect(() => monthlyIndexName('cairn-events', 'soon')).toThrow(/not a timestamp/);
  });
});

describe('search cursor', () => {
  const id = 'f'.repeat(64);
  const codec = new CursorCodec('a secret of at least thirty-two bytes');

  it('round-trips sort values and a paging handle, in a cursor of bounded size', () => {
    expect(codec.decode(codec.encode({ sort: [1767225600000, id] }))).toEqual({
      sort: [1767225600000, id],
      paging: undefined,
    });
    const handle = 'aBc-_0123456789abcdefg';
    const cursor = codec.encode({ sort: ['1767225600000', id], paging: handle });
    expect(codec.decode(cursor)).toEqual({ sort: ['1767225600000', id], paging: handle });
    expect(cursor.length).toBeLessThan(200);
  });

  it('refuses cursors it did not sign, changed ones, and bad shapes even when signed', () => {
    const good = codec.encode({ sort: [1, id] });
    const [payload] = good.split('.');
    const other = new CursorCodec('another secret of thirty-two bytes!!');
    const tampered = `${Buffer.from(JSON.stringify([[2, id]])).toString('base64url')}.${good.split('.')[1]}`;
    for (const bad of [
      '',
      'not a cursor',
      payload,
      `${payload}.`,
      other.encode({ sort: [1, id] }),
      tampered,
    ]) {
      expect(() => codec.decode(bad)).toThrow(InvalidCursorError);
    }
    expect(() => codec.decode(codec.encode({ sort: [1, 'x'] }))).toThrow(InvalidCursorError);
    for (const paging of ['{"script":1}', 'short', 'x'.repeat(23), 'a'.repeat(21) + '=']) {
      expect(() => codec.decode(codec.encode({ sort: [1, id], paging }))).toThrow(InvalidCursorError);
    }
  });
});

describe('buildEventQuery', () => {
  it('builds only typed term and range clauses, passing user text through as values', () => {
    const query = buildEventQuery({
      from: new Date('2026-01-01T00:00:00Z'),
      actor: 'alice" OR *:*',
      namespace: 'payments',
      products: ['kubernetes'],
    });
    expect(query).toEqual({
      bool: {
        filter: [
          {
            range: { '@timestamp': { gte: '2026-01-01T00:00:00.000Z', format: 'strict_date_optional_time' } },
          },
          { terms: { 'cairn.product': ['kubernetes'] } },
          { term: { 'user.name': 'alice" OR *:*' } },
          {
            bool: {
              should: [
                { term: { 'kubernetes.namespace': 'payments' } },
                { term: { 'orchestrator.namespace': 'payments' } },
              ],
              minimum_should_match: 1,
            },
          },
        ],
      },
    });
  });
});
