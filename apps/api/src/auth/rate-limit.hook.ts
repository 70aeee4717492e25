import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isGraphQLRequest } from '../graphql/graphql-route';
import { RATE_LIMIT_PER_MINUTE } from '../injection-tokens';
import type { AuthenticatedRequest } from './auth.guard';
import { RateLimiter } from './rate-limiter';
import { TokenAuthenticator } from './token-authenticator';

/**
 * Per-token request budget on /graphql (per client address for requests without a valid token,
 * so guessing tokens is slowed too). A refused request still gets its access record: the refusal
 * is an answer like any other and goes through the same onSend hook.
 */
@Injectable()
export class RateLimitHook implements OnModuleInit {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly adapter: HttpAdapterHost,
    private readonly authenticator: TokenAuthenticator,
    @Inject(RATE_LIMIT_PER_MINUTE) private readonly perMinute: number,
  ) {
    this.limiter = new RateLimiter(perMinute);
  }

  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
      if (!isGraphQLRequest(request)) return;
      const header = request.headers.authorization as unknown;
      const principal = this.authenticator.authenticate(typeof header === 'string' ? header : undefined);
      // Kept on the request: the guard and the access record use it instead of checking again.
      if (principal) (request as FastifyRequest & AuthenticatedRequest).principal = principal;
      const caller = principal ? `token:${principal.name}` : `address:${request.ip}`;
      if (this.limiter.take(caller)) return;
      const body = JSON.stringify({
        data: null,
        errors: [
          {
            message: `rate limit: at most ${this.perMinute} requests a minute for this caller`,
            extensions: { code: 'RATE_LIMITED' },
          },
        ],
      });
      return reply.code(429).header('retry-after', '1').type('application/json; charset=utf-8').send(body);
    });
  }
}
