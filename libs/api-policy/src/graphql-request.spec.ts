import { parse, print } from 'graphql';
import { graphqlParamsOf, onlyOperation, operationLabel, selectOperation } from './graphql-request';

describe('graphqlParamsOf', () => {
  it('reads GET parameters from the query string and POST ones from the body, as Mercurius does', () => {
    const params = { query: '{ a }', operationName: 'A', variables: { n: 1 } };
    expect(graphqlParamsOf({ method: 'GET', query: params, body: { operationName: 'B' } })).toEqual(params);
    expect(graphqlParamsOf({ method: 'POST', query: { operationName: 'B' }, body: params })).toEqual(params);
  });

  it('finds nothing in bodies Mercurius would refuse', () => {
    for (const body of [undefined, null, 'text', [{ query: '{ a }' }]]) {
      expect(graphqlParamsOf({ method: 'POST', body })).toEqual({});
    }
    expect(graphqlParamsOf({ method: 'POST', body: { query: 1, operationName: '' } })).toEqual({
      query: undefined,
      operationName: undefined,
      variables: undefined,
    });
  });
});

describe('selectOperation and onlyOperation', () => {
  const document = parse('query A { a } query B { ...F } fragment F on Query { b }');

  it('select what graphql-js would run, or nothing', () => {
    expect(selectOperation(document, 'B')?.name?.value).toBe('B');
    expect(selectOperation(document, 'C')).toBeUndefined();
    expect(selectOperation(document, undefined)).toBeUndefined();
    expect(selectOperation(parse('{ a }'), undefined)?.operation).toBe('query');
    expect(selectOperation(parse('{ a }'), 'A')).toBeUndefined();
  });

  it('keep one operation and every fragment, and leave a one-operation document as it is', () => {
    const only = onlyOperation(document, selectOperation(document, 'B')!);
    expect(print(only)).toBe('query B {\n  ...F\n}\n\nfragment F on Query {\n  b\n}');
    const single = parse('{ a }');
    expect(onlyOperation(single, selectOperation(single, undefined)!)).toBe(single);
  });

  it('label an operation by its name, or its root fields', () => {
    expect(operationLabel(selectOperation(document, 'A')!)).toBe('A');
    expect(
      operationLabel(selectOperation(parse('{ events { x } e2: events { x } stats }'), undefined)!),
    ).toBe('events,stats');
  });
});
