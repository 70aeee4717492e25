import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows a burst of the per-minute budget, then refills evenly', () => {
    let now = 0;
    const limiter = new RateLimiter(60, () => now);
    for (let i = 0; i < 60; i += 1) expect(limiter.take('alice')).toBe(true);
    expect(limiter.take('alice')).toBe(false);
    now += 1000; // one request per second comes back
    expect(limiter.take('alice')).toBe(true);
    expect(limiter.take('alice')).toBe(false);
  });

  it('keeps callers apart', () => {
    const limiter = new RateLimiter(1, () => 0);
    expect(limiter.take('alice')).toBe(true);
    expect(limiter.take('alice')).toBe(false);
    expect(limiter.take('bob')).toBe(true);
  });

  it('forgets callers whose bucket is full again', () => {
    let now = 0;
    const limiter = new RateLimiter(2, () => now);
    limiter.take('alice');
    now = 120_000;
    limiter.take('bob');
    expect((limiter as unknown as { buckets: Map<string, unknown> }).buckets.has('alice')).toBe(false);
  });
});
