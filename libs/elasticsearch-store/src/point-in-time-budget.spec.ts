import { PointInTimeBudget } from './point-in-time-budget';

describe('PointInTimeBudget', () => {
  it('closes the least recently used point in time over the cap, per caller', () => {
    let now = 0;
    const budget = new PointInTimeBudget(2, 120_000, () => now);
    expect(budget.opened('alice', 'a1')).toEqual([]);
    now += 1;
    expect(budget.opened('alice', 'a2')).toEqual([]);
    now += 1;
    budget.used('alice', 'a1', 'a1b');
    expect(budget.opened('bob', 'b1')).toEqual([]);
    now += 1;
    expect(budget.opened('alice', 'a3')).toEqual(['a2']);
    expect(budget.count('alice')).toBe(2);
    expect(budget.count('bob')).toBe(1);
  });

  it('forgets points in time that expired or were closed', () => {
    let now = 0;
    const budget = new PointInTimeBudget(1, 1_000, () => now);
    budget.opened('alice', 'a1');
    budget.closed('alice', 'a1');
    expect(budget.opened('alice', 'a2')).toEqual([]);
    now = 5_000;
    expect(budget.opened('alice', 'a3')).toEqual([]);
    expect(budget.count('alice')).toBe(1);
  });
});
