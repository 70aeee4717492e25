import { Controller, Get, Header, Inject } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { LIVENESS_POLICY, policyConfig } from '@cairn/api-policy';
import { Gauge, Registry } from 'prom-client';
import { FeedState, type PushFeedStatus, type PushStatus } from '@cairn/feed';
import type { Logger } from '@cairn/logging';
import { FEED_LOGGER, FeedService } from './feed.service';

const STATES = Object.values(FeedState);

/**
 * Prometheus metrics and a JSON status per push feed, on the loopback health port. Counters come
 * from this process; lag, state, last delivery and last error from the feed's consumer group in
 * Kafka, read at each scrape, so they are what the API's feedStatus shows and stay true while the
 * receiver (or this process's consumer) is stuck.
 */
@Controller()
export class FeedMetricsController {
  private readonly registry = new Registry();
  private readonly lag: Gauge;
  private readonly state: Gauge;
  private readonly lastDelivery: Gauge;
  private readonly lastError: Gauge;

  constructor(
    @Inject(FeedService) private readonly service: FeedService,
    @Inject(FEED_LOGGER) private readonly log: Logger,
  ) {
    const counters: [string, string, (s: PushStatus) => number][] = [
      ['cairn_feed_delivered_total', 'Events a receiver took (this process).', (s) => s.delivered],
      ['cairn_feed_skipped_total', 'Events the feed filter left out (this process).', (s) => s.skipped],
    ];
    for (const [name, help, read] of counters) {
      const pushers = () => this.service.pushers;
      new Gauge({
        name,
        help,
        labelNames: ['feed'],
        registers: [this.registry],
        collect() {
          for (const pusher of pushers()) this.set({ feed: pusher.status.feed }, read(pusher.status));
        },
      });
    }
    const gauge = (name: string, help: string, labelNames = ['feed']) =>
      new Gauge({ name, help, labelNames, registers: [this.registry] });
    this.lag = gauge('cairn_feed_lag', 'Feed records not yet delivered, from the consumer group.');
    this.state = gauge('cairn_feed_state', 'Each feed state, 1 for the current one.', ['feed', 'state']);
    this.lastDelivery = gauge(
      'cairn_feed_last_delivery_seconds',
      'When a receiver last took a batch (epoch seconds; 0: never).',
    );
    this.lastError = gauge(
      'cairn_feed_last_error_seconds',
      'When a delivery last failed (epoch seconds; 0: never).',
    );
  }

  @Get('metrics')
  @RouteConfig(policyConfig(LIVENESS_POLICY))
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    try {
      for (const { feed, progress } of await this.service.progress()) {
        this.lag.set({ feed: feed.name }, progress.lag);
        for (const state of STATES)
          this.state.set({ feed: feed.name, state }, state === progress.state ? 1 : 0);
        this.lastDelivery.set({ feed: feed.name }, (progress.lastDeliveryAt?.getTime() ?? 0) / 1000);
        this.lastError.set({ feed: feed.name }, (progress.lastError?.at.getTime() ?? 0) / 1000);
      }
    } catch (error) {
      // The scrape still answers with the counters; the Kafka-read gauges are left out, not guessed.
      this.log.warn({ err: error }, 'feed progress could not be read from Kafka for metrics');
      for (const gauge of [this.lag, this.state, this.lastDelivery, this.lastError]) gauge.reset();
    }
    return this.registry.metrics();
  }

  @Get('status')
  @RouteConfig(policyConfig(LIVENESS_POLICY))
  async status(): Promise<object> {
    let progress: PushFeedStatus[] | { error: string };
    try {
      progress = await this.service.progress();
    } catch (error) {
      progress = { error: error instanceof Error ? error.message : String(error) };
    }
    const byName = new Map(Array.isArray(progress) ? progress.map((p) => [p.feed.name, p.progress]) : []);
    return {
      feeds: this.service.pushers.map((pusher) => ({
        ...pusher.status,
        group: pusher.groupId,
        progress: byName.get(pusher.status.feed) ?? null,
      })),
      ...(!Array.isArray(progress) && { progressError: progress.error }),
    };
  }
}
