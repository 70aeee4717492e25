import { hostname } from 'node:os';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import type { FeedAppConfig } from './config/feed-app-config';
import {
  feedTopic,
  FeedPusher,
  FeedStatusReader,
  HecDelivery,
  SyslogDelivery,
  SyslogSender,
  tlsMaterialOf,
  type Delivery,
  type PushFeed,
  type PushFeedStatus,
} from '@cairn/feed';
import { kafkaRefusalAtConnect, kafkaRefusalOf } from '@cairn/kafka';
import type { Logger } from '@cairn/logging';

export const FEED_LOGGER = Symbol('FeedLogger');

/** One pusher per configured feed, each its own consumer group on the ecs feed topic. */
export class FeedService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly pushers: FeedPusher[];
  private readonly admin: Admin;
  private readonly statusReader: FeedStatusReader;
  private starting?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly config: FeedAppConfig,
    kafka: Kafka,
    private readonly log: Logger,
    /** Called when Kafka refuses Cairn's own settings at start-up. */
    private readonly onRefused?: (reason: string) => void,
  ) {
    const topic = feedTopic(config.feed, 'ecs');
    this.admin = kafka.admin();
    this.statusReader = new FeedStatusReader(this.admin, config.feed);
    this.pushers = config.feed.pushes.map(
      (push) => new FeedPusher(kafka, push, topic, this.deliveryOf(push), log),
    );
  }

  private deliveryOf(push: PushFeed): Delivery {
    const target = push.target;
    if (target.transport === 'syslog') {
      return new SyslogDelivery(target, new SyslogSender(target, tlsMaterialOf(target)), hostname());
    }
    return new HecDelivery(target, this.config.hecTokens[push.name], (url, init) => fetch(url, init));
  }

  /** Each feed's progress as Kafka holds it (what the API's feedStatus shows), within 2 s. */
  async progress(): Promise<PushFeedStatus[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer from Kafka within 2000 ms')), 2_000);
    });
    try {
      return await Promise.race([this.admin.connect().then(() => this.statusReader.read()), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  onApplicationBootstrap(): void {
    this.starting = Promise.all(this.pushers.map((pusher) => this.startWithRetry(pusher))).then(
      () => undefined,
    );
  }

  /** Kafka away at start-up, or the feed topic not created yet by ingest, is waited out. */
  private async startWithRetry(pusher: FeedPusher): Promise<void> {
    for (let attempt = 0; !this.stopping; attempt += 1) {
      try {
        const refused = this.onRefused && (await kafkaRefusalAtConnect(this.config.kafka));
        if (refused) {
          this.log.fatal({ reason: refused }, 'feed cannot start: its connection settings were refused');
          this.onRefused(refused);
          return;
        }
        await pusher.start();
        return;
      } catch (error) {
        const refusal = kafkaRefusalOf(error);
        if (refusal && this.onRefused) {
          this.log.fatal({ reason: refusal }, 'feed cannot start: its connection settings were refused');
          this.onRefused(refusal);
          return;
        }
        const delay = Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));
        this.log.error(
          { feed: pusher.status.feed, err: error, retryInMs: delay },
          'push feed could not start; retrying',
        );
        await pusher.stop().catch(() => undefined);
        for (let waited = 0; waited < delay && !this.stopping; waited += 250) {
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
    }
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.log.info({ signal }, 'stopping feed');
    this.stopping = true;
    await this.starting;
    await Promise.all(this.pushers.map((pusher) => pusher.stop()));
    await this.admin.disconnect();
    this.log.info('feed stopped');
  }
}
