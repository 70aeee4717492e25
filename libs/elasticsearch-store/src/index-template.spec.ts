import { FIELD_CATALOG } from '@cairn/event-schema';
import { buildIndexTemplate, mappingProperties } from './index-template';
import { monthlyIndexName } from './index-names';
import { decodeCursor, encodeCursor, InvalidCursorError } from './search-cursor';
import { buildEventQuery } from './event-search';

const config = {
  url: 'http://127.0.0.1:9200',
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
  it('round-trips sort values and refuses anything else', () => {
    const id = 'f'.repeat(64);
    expect(decodeCursor(encodeCursor([1767225600000, id]))).toEqual([1767225600000, id]);
    for (const bad of [
      '',
      'not base64 json',
      encodeCursor([1, 'x']),
      Buffer.from(JSON.stringify([{ script: 1 }, id])).toString('base64url'),
    ]) {
      expect(() => decodeCursor(bad)).toThrow(InvalidCursorError);
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
