import { Inject } from '@nestjs/common';
import { Context, Query, Resolver } from '@nestjs/graphql';
import { ApiErrorCode, apiError, countResults } from '@cairn/api-policy';
import { FeedStatusReader, type PushFeed, type PushFeedStatus } from '@cairn/feed';
import type { Logger } from '@cairn/logging';
import { Roles } from '../auth/roles.decorator';
import { LOGGER } from '../injection-tokens';
import { FeedStatus } from './feed-status.model';

function targetOf(feed: PushFeed): string {
  const target = feed.target;
  return target.transport === 'syslog' ? `${target.host}:${target.port}` : target.url;
}

function toFeedStatus({ feed, progress }: PushFeedStatus): FeedStatus {
  return {
    name: feed.name,
    transport: feed.target.transport,
    target: targetOf(feed),
    consumerGroup: progress.group,
    topic: progress.topic,
    state: progress.state,
    lag: progress.lag,
    missedByRetention: progress.missedByRetention,
    lastDeliveryAt: progress.lastDeliveryAt ?? null,
    lastError: progress.lastError ?? null,
    stalledAfterSeconds: feed.stalledAfterSeconds,
    partitions: progress.partitions.map((partition) => ({ ...partition })),
  };
}

/** The push feeds' health for an operator: read from Kafka, so it shows a feed process that is down. */
@Resolver()
export class FeedStatusResolver {
  constructor(
    private readonly reader: FeedStatusReader,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  @Query(() => [FeedStatus], {
    description:
      "Each push feed's position, lag, last delivery and last error, read from its consumer group.",
  })
  @Roles('admin', 'siem')
  async feedStatus(@Context('req') request: unknown): Promise<FeedStatus[]> {
    let statuses: PushFeedStatus[];
    try {
      statuses = await this.reader.read();
    } catch (error) {
      this.log.error({ err: error }, 'feed status could not be read from Kafka');
      throw apiError(
        ApiErrorCode.FeedStatusUnavailable,
        "the feeds' consumer groups could not be read from Kafka; try again shortly",
      );
    }
    countResults(request, statuses.length);
    return statuses.map(toFeedStatus);
  }
}
