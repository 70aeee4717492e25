import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse } from 'graphql';
import { DEFAULT_SEARCH_COST, queryCost } from './query-cost';

// The committed contract: the cost model is checked against the schema clients actually see.
const schema = buildSchema(readFileSync(join(__dirname, '..', '..', '..', 'schema.gql'), 'utf8'));
const cost = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
  queryCost(schema, parse(query), variables, DEFAULT_SEARCH_COST, operationName);

describe('queryCost', () => {
  it('charges a search per root field plus one per selected field', () => {
    expect(cost('{ events(first: 1) { totalCount } }')).toBe(1_001 + 1);
  });

  it('multiplies what sits under a page by the page size, including the schema default', () => {
    // edges 10 + node 10 + id 10 + action 10, under first: 10
    expect(cost('{ events(first: 10) { edges { node { id action } } } }')).toBe(1_001 + 40);
    // events defaults to first: 50
    expect(cost('{ events { edges { node { id } } } }')).toBe(1_001 + 150);
  });

  it('reads the page size from variables', () => {
    const query = 'query Q($n: Int!) { events(first: $n) { edges { cursor } } }';
    expect(cost(query, { n: 500 })).toBe(1_001 + 1_000);
    expect(cost(query, { n: 2 })).toBe(1_001 + 4);
  });

  it('counts every alias as its own search', () => {
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: events(first: 1) { totalCount }`);
    expect(cost(`{ ${aliases.join(' ')} }`)).toBe(40 * 1_002);
  });

  it('follows fragments and inline fragments, and nested lists multiply', () => {
    const query = `
      fragment F on AuditEvent { id kubernetes { verb } }
      { events(first: 4) { edges { node { ...F ... on AuditEvent { action } } } } }`;
    // edges 4, node 4, id 4, kubernetes 4, verb 4, action 4
    expect(cost(query)).toBe(1_001 + 24);
    expect(cost('{ eventStats(field: ACTOR, size: 100) { key count } }')).toBe(1_001 + 200);
  });

  it('costs only the operation asked for, and nothing for a mutation-less document', () => {
    const document = `query A { events(first: 1) { totalCount } }
      query B { x: events(first: 1) { totalCount } y: events(first: 1) { totalCount } }`;
    expect(cost(document, undefined, 'A')).toBe(1_002);
    expect(cost(document, undefined, 'B')).toBe(2_004);
  });

  it('lets a few full pages of 500 events through the default limit of 30,000, not four', () => {
    const fields =
      'id timestamp action outcome message actor { name } kubernetes { verb resource namespace name }';
    const page = (alias: string) => `${alias}: events(first: 500) { edges { node { ${fields} } } }`;
    expect(cost(`{ ${page('a')} }`)).toBe(1_001 + 500 * 14);
    expect(cost(`{ ${['a', 'b', 'c'].map(page).join(' ')} }`)).toBeLessThan(30_000);
    expect(cost(`{ ${['a', 'b', 'c', 'd'].map(page).join(' ')} }`)).toBeGreaterThan(30_000);
  });
});
