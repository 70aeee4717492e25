import { quietStretches } from './compliance-aggregations';

const MIN = 60_000;

describe('quietStretches', () => {
  it('finds silence between busy steps, after the last, and before the first', () => {
    // Steps of 5 min; busy at 0, 5 and 60; window 0-120; threshold 30 min.
    expect(quietStretches([0, 5 * MIN, 60 * MIN], 0, 120 * MIN, 5 * MIN, 30 * MIN)).toEqual([
      [10 * MIN, 60 * MIN],
      [65 * MIN, 120 * MIN],
    ]);
    expect(quietStretches([50 * MIN], 0, 60 * MIN, 5 * MIN, 30 * MIN)).toEqual([[0, 50 * MIN]]);
  });

  it('reports nothing shorter than the threshold, and nothing for a busy source', () => {
    expect(quietStretches([0, 20 * MIN, 40 * MIN], 0, 45 * MIN, 5 * MIN, 30 * MIN)).toEqual([]);
  });

  it('takes a whole silent window as one stretch, and stops at the end given (now)', () => {
    expect(quietStretches([], 0, 90 * MIN, 5 * MIN, 30 * MIN)).toEqual([[0, 90 * MIN]]);
    expect(quietStretches([0], 0, 20 * MIN, 5 * MIN, 10 * MIN)).toEqual([[5 * MIN, 20 * MIN]]);
  });
});
