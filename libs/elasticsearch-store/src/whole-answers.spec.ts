import { searchFailureOf } from './elasticsearch-client';
import { assertWholeRefresh, foundDocuments, IncompleteAnswerError } from './whole-answers';

describe('whole answers', () => {
  it('takes a refresh that reached every started copy, unassigned replicas or not', () => {
    expect(() => assertWholeRefresh({ _shards: { failed: 0 } }, 'x')).not.toThrow();
    expect(() => assertWholeRefresh({}, 'x')).not.toThrow();
  });

  it('refuses a refresh that failed on a copy, as the store being unavailable', () => {
    let thrown: unknown;
    try {
      assertWholeRefresh({ _shards: { failed: 1 } }, 'reading a chain head');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(IncompleteAnswerError);
    expect((thrown as Error).message).toBe('reading a chain head: the refresh failed on 1 shard copies');
    expect(searchFailureOf(thrown)).toBe('unavailable');
  });

  it('keeps found documents and passes over ones never stored', () => {
    const docs = [
      { _index: 'i', _id: 'a', found: true, _source: { n: 1 } },
      { _index: 'i', _id: 'b', found: false },
    ];
    expect(foundDocuments(docs, 'x').map((doc) => doc._id)).toEqual(['a']);
  });

  it('refuses a multi-get with a document whose shard did not answer: it is not a missing one', () => {
    const docs = [
      { _index: 'i', _id: 'a', found: true, _source: { n: 1 } },
      {
        _index: 'i',
        _id: 'b',
        error: { type: 'no_shard_available_action_exception', reason: 'No shard available' },
      },
    ];
    expect(() => foundDocuments(docs, 'reading stored copies')).toThrow(
      'reading stored copies: b could not be read: No shard available',
    );
  });
});
