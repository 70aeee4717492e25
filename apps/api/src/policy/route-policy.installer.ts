import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { AccessAuditWriter } from '@cairn/access-audit';
import { installRoutePolicy, RateLimiter, TokenAuthenticator } from '@cairn/api-policy';
import type { Logger } from '@cairn/logging';
import { LOGGER, RATE_LIMIT_PER_MINUTE, SERVES_HTTPS } from '../injection-tokens';

/** Puts the route policy (libs/api-policy) in front of every route of the API's Fastify instance. */
@Injectable()
export class RoutePolicyInstaller implements OnModuleInit {
  constructor(
    private readonly adapter: HttpAdapterHost,
    private readonly authenticator: TokenAuthenticator,
    private readonly writer: AccessAuditWriter,
    @Inject(RATE_LIMIT_PER_MINUTE) private readonly perMinute: number,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(SERVES_HTTPS) private readonly servesHttps: boolean,
  ) {}

  onModuleInit(): void {
    installRoutePolicy(this.adapter.httpAdapter.getInstance<FastifyInstance>(), {
      authenticator: this.authenticator,
      limiter: new RateLimiter(this.perMinute),
      recorder: this.writer,
      log: this.log,
      hsts: this.servesHttps,
    });
  }
}
