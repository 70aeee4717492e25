import { Controller, Get, Header, Inject } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { LIVENESS_POLICY, policyConfig } from '@cairn/api-policy';
import { Gauge, Registry } from 'prom-client';
import type { PushStatus } from '@cairn/feed';
import { FeedService } from './feed.service';

/**
 * Prometheus metrics and a JSON status per push feed, on the loopback health port: delivered,
 * skipped by the filter, lag behind the topic, last delivery and last error, so an operator sees a
 * feed that went quiet or is stuck.
 */
@Controller()
export class FeedMetricsController {
  private readonly registry = new Registry();

  constructor(@Inject(FeedService) private readonly service: FeedService) {
    const definitions: [string, string, (s: PushStatus) => number][] = [
      ['cairn_feed_delivered_total', 'Events a receiver took.', (s) => s.delivered],
      ['cairn_feed_skipped_total', 'Events the feed filter left out.', (s) => s.skipped],
      ['cairn_feed_lag', 'Feed records behind the topic end, as of the last batch.', (s) => s.lag],
      [
        'cairn_feed_last_delivery_seconds',
        'When a receiver last took a batch (epoch seconds; 0: never).',
        (s) => (s.lastDeliveryAt?.getTime() ?? 0) / 1000,
      ],
      [
        'cairn_feed_last_error_seconds',
        'When a delivery last failed (epoch seconds; 0: never).',
        (s) => (s.lastError?.at.getTime() ?? 0) / 1000,
      ],
    ];
    for (const [name, help, read] of definitions) {
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
  }

  @Get('metrics')
  @RouteConfig(policyConfig(LIVENESS_POLICY))
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    return this.registry.metrics();
  }

  @Get('status')
  @RouteConfig(policyConfig(LIVENESS_POLICY))
  status(): object {
    return { feeds: this.service.pushers.map((pusher) => ({ ...pusher.status, group: pusher.groupId })) };
  }
}
