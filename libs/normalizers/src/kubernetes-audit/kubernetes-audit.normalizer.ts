import { isIP } from 'node:net';
import {
  CairnEventError,
  deterministicEventId,
  EventErrorCode,
  originalParts,
  SCHEMA_VERSION,
  type AuditEventDocument,
  type Outcome,
} from '@cairn/event-schema';
import { compact } from '../compact';
import { execDetails, requestFacts } from './request-object';
import type { NormalizeContext, SourceNormalizer } from '../source-normalizer';
import type { KubernetesAuditEvent } from './kubernetes-audit.types';

const AUDIT_API_VERSION = /^audit\.k8s\.io\//;

const EVENT_TYPE_BY_VERB: Readonly<Record<string, string>> = {
  create: 'creation',
  delete: 'deletion',
  deletecollection: 'deletion',
  update: 'change',
  patch: 'change',
  get: 'access',
  list: 'access',
  watch: 'access',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string): CairnEventError {
  return new CairnEventError(EventErrorCode.InvalidSourceEvent, `kubernetes audit event: ${message}`);
}

function isoTimestamp(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  const millis = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(millis)) throw invalid(`${field} is not a timestamp`);
  return new Date(millis).toISOString();
}

function requireString(event: Record<string, unknown>, field: string): string {
  const value = event[field];
  if (typeof value !== 'string' || value === '') throw invalid(`${field} is missing or not a string`);
  return value;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function outcomeOf(event: KubernetesAuditEvent): Outcome {
  const code = event.responseStatus?.code;
  if (event.annotations?.['authorization.k8s.io/decision'] === 'forbid') return 'failure';
  if (typeof code !== 'number') return 'unknown';
  return code >= 400 ? 'failure' : 'success';
}

function actionOf(event: KubernetesAuditEvent): string {
  const ref = event.objectRef;
  if (!ref?.resource) return `nonresource.${event.verb}`;
  return `${ref.resource}${ref.subresource ? `/${ref.subresource}` : ''}.${event.verb}`;
}

/** Kubernetes API server audit events (audit.k8s.io/v1, v1beta1 and events without apiVersion). */
export class KubernetesAuditNormalizer implements SourceNormalizer {
  readonly product = 'kubernetes' as const;
  readonly sourceKind = 'ORCHESTRATOR' as const;

  canHandle(raw: unknown): boolean {
    if (!isRecord(raw)) return false;
    const versioned =
      raw.apiVersion === undefined ||
      (typeof raw.apiVersion === 'string' && AUDIT_API_VERSION.test(raw.apiVersion));
    if (!versioned) return false;
    return (
      (raw.kind === 'Event' && 'auditID' in raw) || (raw.kind === 'EventList' && Array.isArray(raw.items))
    );
  }

  normalize(raw: unknown, context: NormalizeContext): AuditEventDocument[] {
    if (isRecord(raw) && raw.kind === 'EventList' && Array.isArray(raw.items)) {
      return raw.items.map((item, index) => {
        if (!isRecord(item) || (item.kind !== undefined && item.kind !== 'Event'))
          throw invalid(`items[${index}] is not an Event`);
        return this.normalizeEvent(item, JSON.stringify(item), context.receivedAt);
      });
    }
    if (!isRecord(raw) || raw.kind !== 'Event') throw invalid('kind must be "Event" or "EventList"');
    return [this.normalizeEvent(raw, context.rawText, context.receivedAt)];
  }

  private normalizeEvent(
    raw: Record<string, unknown>,
    rawText: string,
    receivedAt: Date,
  ): AuditEventDocument {
    const auditId = requireString(raw, 'auditID');
    const stage = requireString(raw, 'stage');
    const verb = requireString(raw, 'verb');
    const event = raw as unknown as KubernetesAuditEvent;
    const received = isoTimestamp(event.requestReceivedTimestamp, 'requestReceivedTimestamp');
    const staged = isoTimestamp(event.stageTimestamp, 'stageTimestamp');
    const timestamp = staged ?? received ?? isoTimestamp(event.timestamp, 'timestamp');
    if (!timestamp) throw invalid('no stageTimestamp, requestReceivedTimestamp or timestamp');

    const ref = event.objectRef ?? {};
    const original = originalParts(rawText);
    const action = actionOf(event);
    const username = event.user?.username;
    const target = [ref.namespace, ref.name].filter(Boolean).join('/');
    const code = event.responseStatus?.code;
    const isPod = ref.resource === 'pods';
    const exec =
      ref.subresource === 'exec' || ref.subresource === 'attach' ? execDetails(event.requestURI) : {};
    const createdName = event.responseObject?.metadata?.name ?? event.requestObject?.metadata?.name;
    const podName = isPod
      ? (ref.name ?? (typeof createdName === 'string' ? createdName : undefined))
      : undefined;
    const podUid = isPod ? (ref.uid ?? stringOrUndefined(event.responseObject?.metadata?.uid)) : undefined;

    return compact<AuditEventDocument>({
      '@timestamp': timestamp,
      message: [username ?? 'unknown user', action, target, code === undefined ? '' : `-> ${code}`]
        .filter(Boolean)
        .join(' '),
      event: {
        id: deterministicEventId(this.product, [auditId, stage]),
        kind: 'event',
        category: ['api'],
        type: [EVENT_TYPE_BY_VERB[verb] ?? 'info'],
        action,
        outcome: outcomeOf(event),
        reason: event.annotations?.['authorization.k8s.io/reason'] || event.responseStatus?.reason,
        original: original.original,
        ingested: receivedAt.toISOString(),
        created: received !== undefined && received !== timestamp ? received : undefined,
      },
      user: {
        name: username,
        id: event.user?.uid,
        group: { name: Array.isArray(event.user?.groups) ? event.user.groups : undefined },
        changes: { name: event.impersonatedUser?.username },
      },
      source: { ip: (event.sourceIPs ?? []).filter((ip) => typeof ip === 'string' && isIP(ip) !== 0) },
      user_agent: { original: event.userAgent },
      orchestrator: {
        type: 'kubernetes',
        namespace: ref.namespace,
        api_version: ref.apiVersion,
        resource: { type: ref.resource, name: ref.name, id: ref.uid },
      },
      kubernetes: {
        audit_id: auditId,
        stage,
        verb,
        subresource: ref.subresource,
        api_group: ref.apiGroup,
        request_uri: event.requestURI,
        response_code: code,
        audit_level: event.level,
        authorization: {
          decision: event.annotations?.['authorization.k8s.io/decision'],
          reason: event.annotations?.['authorization.k8s.io/reason'],
        },
        namespace: isPod ? ref.namespace : undefined,
        pod: { name: podName, uid: podUid },
        container: { name: exec.container },
        request: requestFacts(event.requestObject),
      },
      process: { command_line: exec.command },
      cairn: {
        source_kind: this.sourceKind,
        product: this.product,
        schema_version: SCHEMA_VERSION,
        original: { size: original.size, truncated: original.truncated, sha256: original.sha256 },
      },
    });
  }
}
