import { buildEventQuery, TEXT_FIELDS, type EventSearchFilter } from './event-query';

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

  it('is no condition at all for an empty filter, and ignores empty lists', () => {
    expect(buildEventQuery()).toEqual({ bool: { filter: [] } });
    expect(clauses({ products: [], actions: [], outcomes: [], sourceKinds: [], controls: [] })).toEqual([]);
  });

  it('bounds time from inclusive, to exclusive, either alone', () => {
    const from = new Date('2026-03-01T00:00:00.000Z');
    const to = new Date('2026-04-01T00:00:00.000Z');
    const range = (bounds: object) => [
      { range: { '@timestamp': { ...bounds, format: 'strict_date_optional_time' } } },
    ];
    expect(clauses({ from, to })).toEqual(
      range({ gte: '2026-03-01T00:00:00.000Z', lt: '2026-04-01T00:00:00.000Z' }),
    );
    expect(clauses({ from })).toEqual(range({ gte: '2026-03-01T00:00:00.000Z' }));
    expect(clauses({ to })).toEqual(range({ lt: '2026-04-01T00:00:00.000Z' }));
  });

  it('turns every list into a terms clause on its stored field, in a fixed order', () => {
    expect(
      clauses({
        controls: ['PCI_DSS:10.2.1.4'],
        outcomes: ['failure'],
        actions: ['pods/exec.create'],
        products: ['kubernetes'],
        sourceKinds: ['ORCHESTRATOR'],
        actor: 'alice',
      }),
    ).toEqual([
      { terms: { 'cairn.source_kind': ['ORCHESTRATOR'] } },
      { terms: { 'cairn.product': ['kubernetes'] } },
      { terms: { 'event.action': ['pods/exec.create'] } },
      { terms: { 'event.outcome': ['failure'] } },
      { terms: { 'cairn.compliance.controls': ['PCI_DSS:10.2.1.4'] } },
      { term: { 'user.name': 'alice' } },
    ]);
  });

  it('finds a cluster by the name its managed log export gave it', () => {
    expect(clauses({ cluster: 'prod-eu-1' })).toEqual([
      { term: { 'orchestrator.cluster.name': 'prod-eu-1' } },
    ]);
  });

  it('finds a namespace on runtime events and on API requests alike', () => {
    expect(clauses({ namespace: 'payments' })).toEqual([
      {
        bool: {
          should: [
            { term: { 'kubernetes.namespace': 'payments' } },
            { term: { 'orchestrator.namespace': 'payments' } },
          ],
          minimum_should_match: 1,
        },
      },
    ]);
  });

  it('keeps an empty string as a condition: it matches nothing rather than everything', () => {
    expect(clauses({ actor: '', pod: '', sourceIp: '' })).toHaveLength(3);
  });
});
