import { randomUUID } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { parse } from 'graphql';
import { accessReceivedRecord, accessRecord, type AccessRequest } from '@cairn/access-audit';
import { ApiErrorCode, httpStatusOf, refusalBody } from './api-error';
import { graphqlParamsOf, operationLabel, selectOperation } from './graphql-request';
import type { RateLimiter } from './rate-limiter';
import { callerOf, type PolicedRequest, type RequestState } from './request-state';
import { isRoutePolicy, UNMATCHED_POLICY, type RoutePolicy } from './route-policy';
import type { PeerCertificate, TokenAuthenticator } from './token-authenticator';

export interface AccessRecorder {
  /** Resolves once stored: an answer waiting on it may leave. */
  record(document: ReturnType<typeof accessRecord>): Promise<void>;
  /** For a record no answer waits on: stored with the next records, or alone after a moment. */
  recordLingering(document: ReturnType<typeof accessRecord>): Promise<void>;
}

export interface RoutePolicyDependencies {
  readonly authenticator: TokenAuthenticator;
  readonly limiter: RateLimiter;
  readonly recorder: AccessRecorder;
  readonly log: { error(fields: object, message: string): void };
  /** Served over TLS: browsers are told to come back only over HTTPS. */
  readonly hsts?: boolean;
}

const HSTS = 'max-age=31536000';

function peerCertificateOf(request: FastifyRequest): PeerCertificate | undefined {
  const socket = request.raw.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== 'function') return undefined;
  const certificate = socket.getPeerCertificate();
  if (!certificate || Object.keys(certificate).length === 0) return undefined;
  return { authorized: socket.authorized === true, subject: certificate.subject };
}

type Request = FastifyRequest & PolicedRequest;

/** Sent with every answer: nothing here is for a browser to sniff, frame, cache or refer onwards. */
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

function policyOf(request: FastifyRequest): RoutePolicy | undefined {
  if (request.is404) return UNMATCHED_POLICY;
  const declared = (request.routeOptions.config as { policy?: unknown } | undefined)?.policy;
  return isRoutePolicy(declared) ? declared : undefined;
}

function refuse(reply: FastifyReply, state: RequestState, code: ApiErrorCode, message: string) {
  state.refusal = code;
  if (code === ApiErrorCode.RateLimited) void reply.header('retry-after', '1');
  return reply
    .code(httpStatusOf(code))
    .type('application/json; charset=utf-8')
    .send(refusalBody(code, message));
}

/**
 * Routes must declare a policy: call before the routes are registered, then `assertEveryRoute`
 * once they are, so a route added without one stops the process at start-up.
 */
export function collectRoutes(fastify: FastifyInstance): { assertEveryRoute(): void } {
  const routes: RouteOptions[] = [];
  fastify.addHook('onRoute', (route) => void routes.push(route));
  return {
    assertEveryRoute: () => {
      const bare = routes.filter((route) => !isRoutePolicy((route.config as { policy?: unknown })?.policy));
      if (bare.length > 0) {
        const names = bare.map((route) => `${String(route.method)} ${route.url}`).join(', ');
        throw new Error(`routes without a route policy: ${names}`);
      }
    },
  };
}

/**
 * The one seam every request passes: the matched route's policy decides authentication, roles,
 * the rate limit and whether the request is access-recorded. A matched route without a policy is
 * refused (fail closed), never served.
 */
export function installRoutePolicy(fastify: FastifyInstance, deps: RoutePolicyDependencies): void {
  fastify.decorateRequest('principal', undefined);
  fastify.decorateRequest('cairnAccess', undefined);

  fastify.addHook('onRequest', async (request: Request, reply) => {
    void reply.headers(SECURITY_HEADERS);
    if (deps.hsts) void reply.header('strict-transport-security', HSTS);
    const policy = policyOf(request);
    if (policy?.contentSecurityPolicy)
      void reply.header('content-security-policy', policy.contentSecurityPolicy);
    const state: RequestState = {
      policy: policy ?? UNMATCHED_POLICY,
      requestId: randomUUID(),
      at: new Date(),
      resultCount: 0,
    };
    request.cairnAccess = state;
    const header = request.headers.authorization;
    request.principal = deps.authenticator.authenticate(
      typeof header === 'string' ? header : undefined,
      peerCertificateOf(request),
    );
    if (!policy) {
      deps.log.error({ route: request.routeOptions.url }, 'route without a route policy refused');
      return refuse(reply, state, ApiErrorCode.InternalServerError, 'internal error');
    }
    if (policy.rateLimited && !deps.limiter.take(callerOf(request))) {
      return refuse(
        reply,
        state,
        ApiErrorCode.RateLimited,
        `rate limit: at most ${deps.limiter.perMinute} requests a minute for this caller`,
      );
    }
    if (request.is404) return refuse(reply, state, ApiErrorCode.NotFound, 'no such route');
    if (policy.authentication === 'public') return;
    if (!request.principal) {
      return refuse(reply, state, ApiErrorCode.Unauthenticated, 'a valid bearer token is required');
    }
    if (!policy.roles.includes(request.principal.role)) {
      return refuse(reply, state, ApiErrorCode.Forbidden, `your role may not use ${policy.name}`);
    }
  });

  // An authorized request's first record is written while its handler runs, not after: the answer
  // waits for the longer of the two instead of their sum (bench:query).
  fastify.addHook('preHandler', (request: Request, _reply, done) => {
    const state = request.cairnAccess;
    if (state?.policy.accessRecorded && request.principal) {
      const principal = request.principal;
      // A record that cannot even be built refuses the answer in onSend, like one not stored.
      const asked = askedOf(request, state);
      // Settles to the failure, or undefined once stored; onSend awaits it. A record that cannot
      // even be built is such a failure too, and withholds the answer like one not stored.
      state.received = Promise.resolve()
        .then(() =>
          deps.recorder.record(
            accessReceivedRecord({ ...asked, principal, operation: asked.operationName?.slice(0, 256) }),
          ),
        )
        .then(
          () => undefined,
          (error: unknown) => ({ error }),
        );
    }
    done();
  });

  // Before a byte of the answer is sent, a record of the request is stored: when it cannot be, the
  // answer is withheld, since an unrecorded read of the audit trail is the gap this closes. A
  // request whose first record was stored while it ran has its outcome recorded after the answer;
  // one refused before it ran (no token, no role, no budget, no route) is recorded whole, first.
  fastify.addHook('onSend', async (request: Request, reply, payload: unknown) => {
    const state = request.cairnAccess;
    if (!state?.policy.accessRecorded) return payload;
    const outcome = recordOf(request, state, payload, reply.getHeader('content-type'));
    const withhold = (error: unknown) => {
      deps.log.error({ err: error, requestId: state.requestId }, 'access record not stored; answer withheld');
      void reply.code(503).header('content-type', 'application/json; charset=utf-8');
      return refusalBody(
        ApiErrorCode.AuditUnavailable,
        'this access could not be recorded, so it is refused; try again shortly',
      );
    };
    if (!state.received) {
      return deps.recorder.record(accessRecord(outcome)).then(() => payload, withhold);
    }
    const failure = await state.received;
    const stored = failure
      ? { ...outcome, resultCount: 0, errorCode: ApiErrorCode.AuditUnavailable }
      : outcome;
    deps.recorder.recordLingering(accessRecord(stored)).catch((error: unknown) => {
      deps.log.error(
        { err: error, requestId: state.requestId },
        'outcome record of an access not stored: its received record stands alone',
      );
    });
    return failure ? withhold(failure.error) : payload;
  });
}

/** What the request asked, read once for both of its records. */
function askedOf(request: Request, state: RequestState) {
  const params = graphqlParamsOf(request);
  const agent = request.headers['user-agent'];
  return {
    requestId: state.requestId,
    at: state.at,
    clientAddress: request.ip,
    userAgent: typeof agent === 'string' ? agent : undefined,
    route: state.policy.name,
    operationName: params.operationName,
    query: params.query,
    variables: params.variables,
  };
}

function recordOf(
  request: Request,
  state: RequestState,
  payload: unknown,
  contentType: unknown,
): AccessRequest {
  const { operationName, ...asked } = askedOf(request, state);
  return {
    ...asked,
    principal: request.principal,
    operation: state.operation ?? requestedOperation(asked.query, operationName),
    resultCount: state.resultCount,
    errorCode: state.refusal ?? firstErrorCode(payload, contentType),
  };
}

/** For a request refused before GraphQL chose an operation: what it asked for. */
function requestedOperation(query: string | undefined, operationName: string | undefined) {
  if (operationName) return operationName.slice(0, 256);
  if (!query) return undefined;
  try {
    const operation = selectOperation(parse(query), undefined);
    return operation ? operationLabel(operation) : undefined;
  } catch {
    return '(unparsable query)';
  }
}

/** A GraphQL answer's first error; other answers (an export's lines) carry their refusal in state. */
function firstErrorCode(payload: unknown, contentType: unknown): string | undefined {
  if (typeof contentType !== 'string' || !contentType.startsWith('application/json')) return undefined;
  if (typeof payload !== 'string' || !payload.includes('"errors"')) return undefined;
  try {
    const parsed = JSON.parse(payload) as { errors?: { extensions?: { code?: unknown } }[] };
    if (!parsed.errors || parsed.errors.length === 0) return undefined;
    const code = parsed.errors[0]?.extensions?.code;
    return typeof code === 'string' ? code : ApiErrorCode.InternalServerError;
  } catch {
    return undefined;
  }
}
