import type { FastifyRequest } from 'fastify';

/** The GraphQL endpoint, which the access record and the rate limit both cover. */
export function isGraphQLRequest(request: Pick<FastifyRequest, 'url'>): boolean {
  return request.url === '/graphql' || request.url.startsWith('/graphql?');
}
