import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import * as queries from './queries';

/** The console's questions against the API's committed contract (schema.gql): drift fails here. */
const schema = buildSchema(readFileSync(join(__dirname, '../../../../schema.gql'), 'utf8'));
const named = (name: string, document: string): [string, string] => [name, document];
const documents: [string, string][] = [
  ...Object.entries(queries).flatMap(([name, value]) =>
    typeof value === 'string' ? [named(name, value)] : [],
  ),
  named('EVENT_DETAIL (investigator)', queries.eventDetailQuery(['AuditEvent.original', 'Actor.sourceIps'])),
  named('EVENT_DETAIL (auditor)', queries.eventDetailQuery([])),
].filter(([name]) => name !== 'EVENT_ROW');

it.each(documents)('%s is valid against schema.gql', (_name, document) => {
  expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]);
});

it('asks for the original and client addresses only of a role that may read them', () => {
  expect(queries.eventDetailQuery([])).not.toMatch(/original|sourceIps/);
  expect(queries.eventDetailQuery(['Actor.sourceIps'])).not.toMatch(/original/);
  expect(queries.eventDetailQuery(['AuditEvent.original', 'Actor.sourceIps'])).toMatch(
    /original[\s\S]*sourceIps/,
  );
});
