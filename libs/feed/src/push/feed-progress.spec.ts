import {
  decodeProgress,
  encodeProgress,
  FeedState,
  feedStateOf,
  readFeedProgress,
  type ProgressAdmin,
} from './feed-progress';

const at = (iso: string) => new Date(iso);

/** Answers as kafkajs's admin does: ends per partition, commits with '-1' for none. */
function adminOf(
  ends: { partition: number; low: string; high: string }[],
  commits: { partition: number; offset: string; metadata: string | null }[],
): ProgressAdmin {
  const admin: ProgressAdmin = {
    fetchTopicOffsets: async () => ends.map((end) => ({ ...end, offset: end.high })),
    fetchOffsets: async () => [{ topic: 't', partitions: commits }],
  };
  return admin;
}

describe('feed progress in commit metadata', () => {
  it('round-trips a delivery time and an error, and cuts long messages', () => {
    const progress = {
      deliveredAt: at('2026-12-02T08:00:00.000Z'),
      error: { at: at('2026-12-02T08:01:00.000Z'), message: 'x'.repeat(1000) },
    };
    const metadata = encodeProgress(progress);
    expect(metadata.length).toBeLessThan(400);
    expect(decodeProgress(metadata)).toEqual({
      deliveredAt: progress.deliveredAt,
      error: { at: progress.error.at, message: 'x'.repeat(300) },
    });
    expect(decodeProgress(encodeProgress({}))).toEqual({});
  });

  it("reads another tool's metadata, or none, as no progress", () => {
    for (const metadata of [
      null,
      '',
      'event-id-3',
      '{"v":2,"d":"2026-12-02T08:00:00Z"}',
      '[1]',
      '{"v":1,"d":"soon"}',
    ])
      expect(decodeProgress(metadata)).toEqual({});
  });
});

describe('readFeedProgress', () => {
  const stalledAfterMs = 300_000;
  const now = at('2026-12-02T09:00:00.000Z');

  it('gives each partition its position, lag and what retention took; the latest delivery and error', async () => {
    const admin = adminOf(
      [
        { partition: 1, low: '0', high: '40' },
        { partition: 0, low: '100', high: '250' },
        { partition: 2, low: '0', high: '7' },
      ],
      [
        {
          partition: 0,
          offset: '90',
          metadata: encodeProgress({
            deliveredAt: at('2026-12-02T08:50:00.000Z'),
            error: { at: at('2026-12-02T08:40:00.000Z'), message: 'refused' },
          }),
        },
        {
          partition: 1,
          offset: '40',
          metadata: encodeProgress({ deliveredAt: at('2026-12-02T08:59:00.000Z') }),
        },
        { partition: 2, offset: '-1', metadata: null },
      ],
    );
    const progress = await readFeedProgress(admin, 'g', 't', { now, stalledAfterMs });
    expect(progress.partitions).toEqual([
      { partition: 0, position: '90', end: '250', lag: 150, missedByRetention: 10 },
      { partition: 1, position: '40', end: '40', lag: 0, missedByRetention: 0 },
      { partition: 2, position: null, end: '7', lag: 7, missedByRetention: 0 },
    ]);
    expect(progress).toMatchObject({
      group: 'g',
      topic: 't',
      lag: 157,
      missedByRetention: 10,
      lastDeliveryAt: at('2026-12-02T08:59:00.000Z'),
      lastError: { at: at('2026-12-02T08:40:00.000Z'), message: 'refused' },
      state: FeedState.BEHIND_RETENTION,
    });
  });

  it('a group that never committed starts at the oldest record', async () => {
    const admin = adminOf([{ partition: 0, low: '5', high: '12' }], []);
    expect(await readFeedProgress(admin, 'g', 't', { now, stalledAfterMs })).toMatchObject({
      partitions: [{ partition: 0, position: null, end: '12', lag: 7, missedByRetention: 0 }],
      state: FeedState.NEVER_DELIVERED,
    });
  });
});

describe('feedStateOf', () => {
  const now = at('2026-12-02T09:00:00.000Z');
  const base = {
    group: 'g',
    topic: 't',
    partitions: [{ partition: 0, position: '10', end: '10', lag: 0, missedByRetention: 0 }],
    lag: 0,
    missedByRetention: 0,
  };
  const recent = at('2026-12-02T08:58:00.000Z');
  const old = at('2026-12-02T08:50:00.000Z');
  const cases: [string, Parameters<typeof feedStateOf>[0], FeedState][] = [
    ['nothing waiting', base, FeedState.CURRENT],
    ['waiting, delivered recently', { ...base, lag: 3, lastDeliveryAt: recent }, FeedState.DELIVERING],
    ['waiting, delivered long ago', { ...base, lag: 3, lastDeliveryAt: old }, FeedState.STALLED],
    ['waiting, committed but never delivered (filtered)', { ...base, lag: 3 }, FeedState.STALLED],
    [
      'waiting, never committed',
      { ...base, lag: 3, partitions: [{ ...base.partitions[0], position: null }] },
      FeedState.NEVER_DELIVERED,
    ],
    [
      'the last attempt failed',
      { ...base, lag: 3, lastDeliveryAt: old, lastError: { at: recent, message: 'down' } },
      FeedState.FAILING,
    ],
    [
      'an old failure, delivered since',
      { ...base, lag: 3, lastDeliveryAt: recent, lastError: { at: old, message: 'down' } },
      FeedState.DELIVERING,
    ],
    ['records expired before delivery', { ...base, missedByRetention: 2 }, FeedState.BEHIND_RETENTION],
  ];
  it.each(cases)('%s', (_name, progress, state) => {
    expect(feedStateOf(progress, now, 300_000)).toBe(state);
  });
});
