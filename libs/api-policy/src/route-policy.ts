import { API_ROLES, type ApiRole } from './api-tokens';

/**
 * What a route demands before its handler runs and what is kept of every request to it. Each
 * route declares one (Fastify route config `policy`); the hooks read the policy of the route
 * Fastify matched, never the URL as sent, so no spelling of a path can step around it.
 */
export interface RoutePolicy {
  /** Names the route in access records and logs. */
  readonly name: string;
  /** `public`: answered without a token (a token, when valid, is still recognized). */
  readonly authentication: 'public' | 'required';
  /** Roles admitted to the route at all; resolvers may narrow further. */
  readonly roles: readonly ApiRole[];
  /** Counts against the caller's budget (per token, or per address without a valid token). */
  readonly rateLimited: boolean;
  /** Priced before it runs (the GraphQL cost limit). */
  readonly priced: boolean;
  /** Every request, answered or refused, is stored as an access record before its answer leaves. */
  readonly accessRecorded: boolean;
  /** Replaces the default Content-Security-Policy, which lets a browser load nothing at all. */
  readonly contentSecurityPolicy?: string;
}

export const GRAPHQL_POLICY: RoutePolicy = {
  name: 'graphql',
  authentication: 'required',
  roles: API_ROLES,
  rateLimited: true,
  priced: true,
  accessRecorded: true,
};

/** The SIEM feed's pull export: whole events leave here, so it is recorded like a query. */
export const FEED_EXPORT_POLICY: RoutePolicy = {
  name: 'feed.export',
  authentication: 'required',
  roles: ['admin', 'siem'],
  rateLimited: true,
  priced: false,
  accessRecorded: true,
};

/**
 * The console's own files: public, since the sign-in page must load before a token exists; it
 * holds no data, and every question it asks goes through GRAPHQL_POLICY and is recorded there.
 * Its policy lets the page run only its own script and style and talk only to its own origin.
 */
export const CONSOLE_POLICY: RoutePolicy = {
  name: 'console',
  authentication: 'public',
  roles: [],
  rateLimited: true,
  priced: false,
  accessRecorded: false,
  contentSecurityPolicy: [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
};

/** Liveness: probed every few seconds by orchestrators; says nothing of the trail. */
export const LIVENESS_POLICY: RoutePolicy = {
  name: 'liveness',
  authentication: 'public',
  roles: [],
  rateLimited: false,
  priced: false,
  accessRecorded: false,
};

/** Readiness: public for probes, but only an admin's token sees the dependencies' error text. */
export const READINESS_POLICY: RoutePolicy = { ...LIVENESS_POLICY, name: 'readiness' };

/** Any request no route matched: refused 404, limited and recorded like a probe of the API. */
export const UNMATCHED_POLICY: RoutePolicy = {
  name: 'unmatched',
  authentication: 'public',
  roles: [],
  rateLimited: true,
  priced: false,
  accessRecorded: true,
};

/** The route config that declares a policy: `{ config: policyConfig(GRAPHQL_POLICY) }`. */
export function policyConfig(policy: RoutePolicy): { policy: RoutePolicy } {
  return { policy };
}

export function isRoutePolicy(value: unknown): value is RoutePolicy {
  const candidate = value as Partial<RoutePolicy> | undefined;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.name === 'string' &&
    (candidate.authentication === 'public' || candidate.authentication === 'required') &&
    Array.isArray(candidate.roles)
  );
}
