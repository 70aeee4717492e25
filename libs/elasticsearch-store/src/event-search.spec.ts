import { buildEventQuery, TEXT_FIELDS, type EventSearchFilter } from './event-search';

function clauses(filter: EventSearchFilter): any[] {
  const query = buildEventQuery(filter) as { bool: { filter: unknown[] } };
  return JSON.parse(JSON.stringify(query.bool.filter)) as any[];
}

describe('buildEventQuery', () => {
  it('passes text on as a value for simple_query_string with every operator disabled', () => {
    const hostile = '"x" OR *) AND {"script": 1}';
    expect(clauses({ text: hostile })).toEqual([
      {
        simple_query_string: {
          query: hostile,
          fields: TEXT_FIELDS,
          flags: 'NONE',
          default_operator: 'and',
          lenient: true,
        },
      },
    ]);
  });

  it('matches a container id by prefix, and by its first 12 characters as Falco reports it', () => {
    expect(clauses({ containerId: '4f66ad9a0b2e77' })).toEqual([
      {
        bool: {
          should: [
            { prefix: { 'container.id': '4f66ad9a0b2e77' } },
            { term: { 'container.id': '4f66ad9a0b2e' } },
          ],
          minimum_should_match: 1,
        },
      },
    ]);
  });

  it('matches an image by canonical name or registry path, and its tag', () => {
    const [image] = clauses({ image: { name: 'docker.io/team/app', repository: 'team/app', tag: '1.2' } });
    expect(image.bool.filter).toEqual([
      {
        bool: {
          should: [
            { term: { 'container.image.name': 'docker.io/team/app' } },
            { term: { 'registry.repository': 'team/app' } },
          ],
          minimum_should_match: 1,
        },
      },
      {
        bool: {
          should: [{ term: { 'container.image.tag': '1.2' } }, { term: { 'registry.tag': '1.2' } }],
          minimum_should_match: 1,
        },
      },
    ]);
  });

  it('matches a digest on runtime and registry events alike', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const [image] = clauses({ image: { digest } });
    expect(image.bool.filter[0].bool.should).toEqual([
      { term: { 'container.image.hash.all': digest } },
      { term: { 'registry.digest': digest } },
    ]);
  });

  it('turns pod and client address into exact terms', () => {
    expect(clauses({ pod: 'web-0', sourceIp: '10.0.0.1' })).toEqual([
      { term: { 'kubernetes.pod.name': 'web-0' } },
      { term: { 'source.ip': '10.0.0.1' } },
    ]);
  });
});
