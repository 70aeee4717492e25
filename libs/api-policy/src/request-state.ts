import type { Principal } from './token-authenticator';
import type { RoutePolicy } from './route-policy';

/** What one request accumulates on its way through the route policy, for its access record. */
export interface RequestState {
  readonly policy: RoutePolicy;
  readonly requestId: string;
  readonly at: Date;
  /** Events handed back; resolvers add to it (countResults). */
  resultCount: number;
  /** Set once GraphQL chose the operation that runs: what the access record names. */
  operation?: string;
  /** The code this request was refused with before any handler ran. */
  refusal?: string;
  /**
   * The authorized request's first record, being stored while its handler runs: settles to
   * undefined once stored, or to why it could not be (never rejects).
   */
  received?: Promise<{ readonly error: unknown } | undefined>;
}

/** The request as the policy hooks and the resolvers see it. */
export interface PolicedRequest {
  readonly headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
  cairnAccess?: RequestState;
}

/** Resolvers call this with the number of events they return. */
export function countResults(request: unknown, count: number): void {
  const access = (request as PolicedRequest | undefined)?.cairnAccess;
  if (access) access.resultCount += count;
}

/** The caller as budgets count it: the token's name, or the address of a caller without one. */
export function callerOf(request: { principal?: Principal; ip: string }): string {
  return request.principal ? `token:${request.principal.name}` : `address:${request.ip}`;
}
