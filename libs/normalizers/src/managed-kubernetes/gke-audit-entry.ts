import { isIP } from 'node:net';
import {
  deterministicEventId,
  originalParts,
  type AuditEventDocument,
  type Outcome,
} from '@cairn/event-schema';
import { isRecord, SourceFields, type Json } from '../common/fields';
import { cairnFields } from '../common/cairn-fields';
import { compact } from '../compact';
import { requestFacts } from '../kubernetes-audit/request-object';
import type { NormalizeContext } from '../source-normalizer';
import { EVENT_TYPE_BY_VERB } from '../kubernetes-audit/verb-event-types';

const AUDIT_LOG_TYPE = 'type.googleapis.com/google.cloud.audit.AuditLog';
const fields = new SourceFields('GKE audit log entry');
const GKE = { product: 'kubernetes', sourceKind: 'ORCHESTRATOR' } as const;

/** A Cloud Logging entry of GKE's Kubernetes API audit log (resource type k8s_cluster). */
export function isGkeAuditEntry(raw: Json): boolean {
  return (
    isRecord(raw.protoPayload) &&
    raw.protoPayload['@type'] === AUDIT_LOG_TYPE &&
    isRecord(raw.resource) &&
    raw.resource.type === 'k8s_cluster'
  );
}

interface ResourceParts {
  group?: string;
  version?: string;
  namespace?: string;
  resource?: string;
  name?: string;
  subresource?: string;
}

/**
 * `<group>/<version>/[namespaces/<namespace>/]<resource>[/<name>[/<subresource>]]`, group `core`
 * for the core API (whose group is the empty string); anything else is a non-resource path.
 */
function resourceParts(resourceName: string | undefined): ResourceParts {
  const segments = resourceName?.split('/') ?? [];
  if (segments.length < 3 || segments.some((segment) => segment === '')) return {};
  const [group, version, ...rest] = segments;
  const namespaced = rest[0] === 'namespaces' && rest.length >= 3;
  const [resource, name, subresource] = namespaced ? rest.slice(2) : rest;
  return {
    group: group === 'core' ? '' : group,
    version,
    namespace: namespaced ? rest[1] : undefined,
    resource,
    name,
    subresource,
  };
}

/** Granted everywhere: allow; refused anywhere: forbid; nothing said: unknown. */
function decisionOf(authorization: unknown): 'allow' | 'forbid' | undefined {
  const checks = Array.isArray(authorization) ? authorization.filter(isRecord) : [];
  if (checks.length === 0) return undefined;
  return checks.every((check) => check.granted === true) ? 'allow' : 'forbid';
}

/**
 * GKE does not keep the API server's audit Event: Cloud Logging holds its own account of the
 * request (no audit ID, stage or HTTP status; a google.rpc status code instead), so this maps that
 * account onto the same fields, and the entry's insertId and time make the event's identity.
 */
export function normalizeGkeAuditEntry(entry: Json, context: NormalizeContext): AuditEventDocument {
  const payload = entry.protoPayload as Json;
  const insertId = fields.requiredString(entry, 'insertId');
  const timestamp = fields.timestamp(fields.requiredString(entry, 'timestamp'), 'timestamp')!;
  const method = fields.requiredString(payload, 'methodName', 'protoPayload.methodName');
  if (!method.startsWith('io.k8s.'))
    throw fields.invalid(`protoPayload.methodName ${method} is not a Kubernetes API method (io.k8s.*)`);
  const verb = method.slice(method.lastIndexOf('.') + 1);
  const resourceName = fields.string(payload, 'resourceName', 'protoPayload.resourceName');
  const parts = resourceParts(resourceName);
  const labels = fields.object(entry.resource as Json, 'labels', 'resource.labels') ?? {};
  const authentication =
    fields.object(payload, 'authenticationInfo', 'protoPayload.authenticationInfo') ?? {};
  const username = fields.string(
    authentication,
    'principalEmail',
    'protoPayload.authenticationInfo.principalEmail',
  );
  const metadata = fields.object(payload, 'requestMetadata', 'protoPayload.requestMetadata') ?? {};
  const callerIp = fields.string(metadata, 'callerIp', 'protoPayload.requestMetadata.callerIp');
  const status = fields.object(payload, 'status', 'protoPayload.status');
  // A status without a code is OK: proto3 leaves out the default, 0.
  const code = status ? (fields.number(status, 'code', 'protoPayload.status.code') ?? 0) : undefined;
  const decision = decisionOf(payload.authorizationInfo);
  const outcome: Outcome =
    decision === 'forbid' || (code !== undefined && code !== 0)
      ? 'failure'
      : code === undefined && decision === undefined
        ? 'unknown'
        : 'success';
  const { group, version, namespace, resource, name, subresource } = parts;
  const action = resource
    ? `${resource}${subresource ? `/${subresource}` : ''}.${verb}`
    : `nonresource.${verb}`;
  const isPod = resource === 'pods';
  const original = originalParts(context.rawText);
  const target = [namespace, name].filter(Boolean).join('/');
  return compact<AuditEventDocument>({
    '@timestamp': timestamp,
    message: [
      username ?? 'unknown user',
      action,
      target,
      outcome === 'failure' ? `-> refused (${code ?? 'denied'})` : '',
    ]
      .filter(Boolean)
      .join(' '),
    event: {
      id: deterministicEventId(GKE.product, ['gke', insertId, timestamp]),
      kind: 'event',
      category: ['api'],
      type: [EVENT_TYPE_BY_VERB[verb] ?? 'info'],
      action,
      outcome,
      reason: status
        ? fields.string(status, 'message', 'protoPayload.status.message') || undefined
        : undefined,
      original: original.original,
      ingested: context.receivedAt.toISOString(),
    },
    user: { name: username },
    source: { ip: callerIp && isIP(callerIp) !== 0 ? [callerIp] : undefined },
    user_agent: { original: fields.string(metadata, 'callerSuppliedUserAgent') },
    orchestrator: {
      type: 'kubernetes',
      cluster: { name: fields.string(labels, 'cluster_name', 'resource.labels.cluster_name') },
      namespace,
      api_version: version,
      resource: { type: resource, name },
    },
    kubernetes: {
      verb,
      subresource,
      api_group: group,
      request_uri: resourceName?.startsWith('/') ? resourceName : undefined,
      authorization: { decision },
      namespace: isPod ? namespace : undefined,
      pod: isPod ? { name } : undefined,
      request: requestFacts(payload.request),
    },
    cairn: cairnFields(GKE, original),
  });
}
