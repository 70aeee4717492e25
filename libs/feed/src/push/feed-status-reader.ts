import { feedTopic, type FeedSettings } from '../feed-config';
import { readFeedProgress, type FeedProgress, type ProgressAdmin } from './feed-progress';
import type { PushFeed } from './push-config';

/** The consumer group a push feed reads with: its commits are the feed's position and progress. */
export function feedGroupOf(name: string, prefix = 'cairn-feed'): string {
  return `${prefix}-${name}`;
}

export interface PushFeedStatus {
  readonly feed: PushFeed;
  readonly progress: FeedProgress;
}

/** Every configured push feed's progress, read from Kafka (shared by feedStatus and /metrics). */
export class FeedStatusReader {
  constructor(
    private readonly admin: ProgressAdmin,
    private readonly settings: FeedSettings,
    private readonly groupPrefix?: string,
  ) {}

  get feeds(): readonly PushFeed[] {
    return this.settings.pushes;
  }

  async read(now = new Date()): Promise<PushFeedStatus[]> {
    const topic = feedTopic(this.settings, 'ecs');
    return Promise.all(
      this.settings.pushes.map(async (feed) => ({
        feed,
        progress: await readFeedProgress(this.admin, feedGroupOf(feed.name, this.groupPrefix), topic, {
          now,
          stalledAfterMs: feed.stalledAfterSeconds * 1000,
        }),
      })),
    );
  }
}
