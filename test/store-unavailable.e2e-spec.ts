import { startCairn, type CairnUnderTest } from './support/cairn-under-test';
import { graphql, newToken } from './support/graphql-client';
import { elasticsearch, eventually, isolatedNames } from './support/local-stack';

/**
 * A store that cannot answer is SEARCH_UNAVAILABLE, with a sentence instead of Elasticsearch's
 * text: here a month whose only shard is unassigned (what a lost node leaves), so Elasticsearch
 * itself answers 503. The access record still lands in this month's index, so the refusal is
 * answered and recorded.
 */
const names = isolatedNames('store-unavailable');
const investigator = newToken('e2e-unavailable', 'investigator');
const LOST_MONTH = { from: '2024-01-01T00:00:00Z', to: '2024-02-01T00:00:00Z' };

let cairn: CairnUnderTest;

beforeAll(async () => {
  cairn = await startCairn(names, { CAIRN_API_TOKENS: JSON.stringify([investigator.entry]) });
  const es = elasticsearch();
  try {
    await es.indices.create({
      index: `${names.indexPrefix}-2024.01`,
      settings: { number_of_replicas: 0, 'index.routing.allocation.require._name': 'no-such-node' },
      wait_for_active_shards: 0,
    });
  } finally {
    await es.close();
  }
});

afterAll(async () => cairn?.stop());

it('answers SEARCH_UNAVAILABLE with a sentence when no shard can answer, and records it', async () => {
  const answer = await graphql(
    cairn.api.baseUrl,
    investigator.token,
    'query($filter: EventFilter) { events(filter: $filter) { totalCount } }',
    { filter: LOST_MONTH },
  );
  expect(answer.errors).toEqual([
    {
      message: 'the event store could not answer (unreachable or overloaded); try again shortly',
      locations: [{ line: 1, column: 31 }],
      path: ['events'],
      extensions: { code: 'SEARCH_UNAVAILABLE' },
    },
  ]);
  const es = elasticsearch();
  try {
    const thisMonth = `${names.indexPrefix}-${new Date().toISOString().slice(0, 7).replace('-', '.')}`;
    const recorded = await eventually(async () => {
      await es.indices.refresh({ index: thisMonth });
      const found = await es.search<{ event: { outcome: string }; user: { name: string } }>({
        index: thisMonth,
        query: { term: { 'cairn.api.error_code': 'SEARCH_UNAVAILABLE' } },
      });
      return found.hits.hits.length === 1 ? found.hits.hits[0]._source : undefined;
    }, 'the refusal to be recorded');
    expect(recorded).toMatchObject({ event: { outcome: 'failure' }, user: { name: 'e2e-unavailable' } });
  } finally {
    await es.close();
  }
  // Other months answer as usual.
  const elsewhere = await graphql<{ events: { totalCount: number } }>(
    cairn.api.baseUrl,
    investigator.token,
    '{ events(filter: { from: "2025-01-01T00:00:00Z" }) { totalCount } }',
  );
  expect(elsewhere.errors).toBeUndefined();
});
