import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, isEnumType, isInputObjectType, isObjectType } from 'graphql';
import { FIELD_NAMES } from '@cairn/event-schema';
import {
  assertMayAggregate,
  assertMayFilter,
  assertMayRead,
  readableBy,
  RESTRICTED_FIELDS,
} from './field-access';

const schema = buildSchema(readFileSync(join(__dirname, '..', '..', '..', 'schema.gql'), 'utf8'));

describe('the restricted-field table', () => {
  it.each(RESTRICTED_FIELDS)('names $field and ways to use it that exist', (restricted) => {
    expect(FIELD_NAMES.has(restricted.field)).toBe(true);
    for (const read of restricted.reads) {
      const [typeName, fieldName] = read.split('.');
      const type = schema.getType(typeName);
      expect(isObjectType(type) && type.getFields()[fieldName]).toBeTruthy();
    }
    const filter = schema.getType('EventFilter');
    for (const name of restricted.filters)
      expect(isInputObjectType(filter) && filter.getFields()[name]).toBeTruthy();
    const stats = schema.getType('StatsField');
    for (const name of restricted.aggregations)
      expect(isEnumType(stats) && stats.getValue(name)).toBeTruthy();
  });
});

describe('checks', () => {
  it('refuse a role the table does not admit, for reads, filters and aggregations alike', () => {
    expect(() => assertMayRead('auditor', 'Actor.sourceIps')).toThrow(/may not read Actor.sourceIps/);
    expect(() => assertMayFilter('auditor', { sourceIp: '10.0.0.1' })).toThrow(/filter.sourceIp/);
    expect(() => assertMayAggregate('auditor', 'source.ip')).toThrow(/source.ip/);
    expect(() => assertMayAggregate(undefined, 'source.ip')).toThrow();
  });

  it('let an admitted role through, and every role use unrestricted fields', () => {
    expect(() => assertMayRead('investigator', 'Actor.sourceIps')).not.toThrow();
    expect(() => assertMayFilter('investigator', { sourceIp: '10.0.0.1' })).not.toThrow();
    expect(() => assertMayAggregate('admin', 'source.ip')).not.toThrow();
    expect(() => assertMayFilter('auditor', { actor: 'alice', sourceIp: undefined })).not.toThrow();
    expect(() => assertMayAggregate('auditor', 'user.name')).not.toThrow();
  });
});

describe('readableBy', () => {
  const document = {
    event: { id: 'x', original: '{"raw":true}' },
    source: { ip: ['10.0.0.1'] },
    user: { name: 'alice' },
  };

  it('hands each role the document without what it may not read, the original left untouched', () => {
    expect(readableBy('admin', document)).toEqual(document);
    expect(readableBy('siem', document)).toEqual({
      event: { id: 'x' },
      source: { ip: ['10.0.0.1'] },
      user: { name: 'alice' },
    });
    expect(readableBy('auditor', document)).toEqual({ event: { id: 'x' }, user: { name: 'alice' } });
    expect(readableBy(undefined, document)).toEqual({ event: { id: 'x' }, user: { name: 'alice' } });
    expect(document.event.original).toBe('{"raw":true}');
  });
});
