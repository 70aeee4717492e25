import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import {
  deterministicEventId,
  SCHEMA_VERSION,
  validateAuditEvent,
  type AuditEventDocument,
} from '@cairn/event-schema';

/** One API request to the audit trail, as the API saw it. */
export interface AccessRequest {
  /** Unique per request; the record's id derives from it, so writing it twice stores it once. */
  readonly requestId: string;
  readonly at: Date;
  /** The authenticated caller; absent when no valid token was presented. */
  readonly principal?: { readonly name: string; readonly role: string };
  readonly clientAddress?: string;
  readonly userAgent?: string;
  /** The route policy of the route that matched (graphql, unmatched, …). */
  readonly route?: string;
  readonly operation?: string;
  readonly query?: string;
  readonly variables?: unknown;
  /** Events handed back to the caller. */
  readonly resultCount: number;
  /** The first error code of the response, when it carried errors. */
  readonly errorCode?: string;
}

/** What is known of an authorized request before its handler runs: everything but its outcome. */
export type ReceivedRequest = Omit<AccessRequest, 'resultCount' | 'errorCode' | 'principal'> & {
  readonly principal: NonNullable<AccessRequest['principal']>;
};

/**
 * event.action of an access record: an authenticated request's outcome, one refused before it was
 * authenticated, and an authorized request as received, stored while its handler runs.
 */
export const ACCESS_ACTIONS = ['cairn.query', 'cairn.auth_failure', 'cairn.query_received'] as const;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Cairn's record of an access to the audit trail (PCI DSS 10.2.1.3 asks for exactly this): who,
 * with which role, from where, which operation, how much came back, and whether it failed. The
 * query and variables are kept as hashes: they can be matched against a suspect request without
 * the record itself repeating what was searched for.
 */
export function accessRecord(request: AccessRequest): AuditEventDocument {
  const at = request.at.toISOString();
  const authenticated = request.principal !== undefined;
  const failed = !authenticated || request.errorCode !== undefined;
  const who = request.principal
    ? `${request.principal.name} (${request.principal.role})`
    : 'unauthenticated caller';
  const what = request.operation ?? 'request';
  const document: AuditEventDocument = {
    '@timestamp': at,
    message: authenticated
      ? `${who} ${what}: ${request.resultCount} events${request.errorCode ? `, ${request.errorCode}` : ''}`
      : `${who} refused: ${request.errorCode ?? 'UNAUTHENTICATED'}`,
    event: {
      id: deterministicEventId('cairn', ['access', request.requestId]),
      kind: 'event',
      category: authenticated ? ['database'] : ['authentication'],
      type: authenticated ? ['access'] : ['start'],
      action: authenticated ? ACCESS_ACTIONS[0] : ACCESS_ACTIONS[1],
      outcome: failed ? 'failure' : 'success',
      ingested: at,
    },
    http: { request: { id: request.requestId } },
    cairn: {
      source_kind: 'CAIRN',
      product: 'cairn',
      schema_version: SCHEMA_VERSION,
      api: {
        ...askedFor(request),
        result_count: request.resultCount,
        error_code: request.errorCode ?? (authenticated ? undefined : 'UNAUTHENTICATED'),
      },
    },
  };
  if (request.principal) document.user = { name: request.principal.name, roles: [request.principal.role] };
  return finished(document, request);
}

/**
 * The first of an authorized request's two records, as the Kubernetes audit log's RequestReceived
 * stage: stored while the search runs, and before any answer leaves, so a read of the trail is on
 * record even if the process dies before its outcome record (`cairn.query`, same
 * `http.request.id`) is written. Its outcome is `unknown` by construction.
 */
export function accessReceivedRecord(request: ReceivedRequest): AuditEventDocument {
  const at = request.at.toISOString();
  const { name, role } = request.principal;
  const document: AuditEventDocument = {
    '@timestamp': at,
    message: `${name} (${role}) ${request.operation ?? `${request.route ?? 'API'} request`}: received`,
    event: {
      id: deterministicEventId('cairn', ['access-received', request.requestId]),
      kind: 'event',
      category: ['database'],
      type: ['access', 'start'],
      action: ACCESS_ACTIONS[2],
      outcome: 'unknown',
      ingested: at,
    },
    http: { request: { id: request.requestId } },
    user: { name, roles: [role] },
    cairn: {
      source_kind: 'CAIRN',
      product: 'cairn',
      schema_version: SCHEMA_VERSION,
      api: askedFor(request),
    },
  };
  return finished(document, request);
}

/** What was asked, as both records keep it: the query and variables only as hashes. */
function askedFor(request: Omit<AccessRequest, 'resultCount'>) {
  return {
    route: request.route,
    operation: request.operation,
    query_sha256: request.query === undefined ? undefined : sha256(request.query),
    variables_sha256: request.variables === undefined ? undefined : sha256(JSON.stringify(request.variables)),
  };
}

function finished(document: AuditEventDocument, request: Omit<AccessRequest, 'resultCount'>) {
  if (request.clientAddress && isIP(request.clientAddress)) document.source = { ip: [request.clientAddress] };
  if (request.userAgent) document.user_agent = { original: request.userAgent.slice(0, 1024) };
  dropUndefined(document.cairn.api!);
  validateAuditEvent(document);
  return document;
}

function dropUndefined(object: Record<string, unknown>): void {
  for (const key of Object.keys(object)) if (object[key] === undefined) delete object[key];
}
