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
import type { NormalizeContext, SourceNormalizer } from '../source-normalizer';
import { execDetails, requestFacts } from './request-object';
import { EVENT_TYPE_BY_VERB } from './verb-event-types';

const AUDIT_API_VERSION = /^audit\.k8s\.io\//;
const fields = new SourceFields('kubernetes audit event');

/** Annotations are free-form: only string values are read. */
function annotation(annotations: Json, key: string): string | undefined {
  const value = annotations[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function outcomeOf(decision: string | undefined, code: number | undefined): Outcome {
  if (decision === 'forbid') return 'failure';
  if (code === undefined) return 'unknown';
  return code >= 400 ? 'failure' : 'success';
}

/** Kubernetes API server audit events (audit.k8s.io/v1, v1beta1, events without apiVersion, EventList). */
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
        if (!isRecord(item) || (item.kind !== undefined && item.kind !== 'Event')) {
          throw fields.invalid(`items[${index}] is not an Event`);
        }
        return this.normalizeAuditEvent(item, JSON.stringify(item), context.receivedAt);
      });
    }
    if (!isRecord(raw) || raw.kind !== 'Event') throw fields.invalid('kind must be "Event" or "EventList"');
    return [this.normalizeAuditEvent(raw, context.rawText, context.receivedAt)];
  }

  /** One audit Event, kept as `rawText`; also for events a cloud's log service wrapped (managed-kubernetes). */
  normalizeAuditEvent(event: Json, rawText: string, receivedAt: Date): AuditEventDocument {
    const auditId = fields.requiredString(event, 'auditID');
    const stage = fields.requiredString(event, 'stage');
    const verb = fields.requiredString(event, 'verb');
    const received = fields.timestamp(
      fields.string(event, 'requestReceivedTimestamp'),
      'requestReceivedTimestamp',
    );
    const staged = fields.timestamp(fields.string(event, 'stageTimestamp'), 'stageTimestamp');
    const timestamp = staged ?? received ?? fields.timestamp(fields.string(event, 'timestamp'), 'timestamp');
    if (!timestamp) throw fields.invalid('no stageTimestamp, requestReceivedTimestamp or timestamp');

    const user = fields.object(event, 'user') ?? {};
    const username = fields.string(user, 'username', 'user.username');
    const impersonated = fields.object(event, 'impersonatedUser') ?? {};
    const ref = fields.object(event, 'objectRef') ?? {};
    const refString = (key: string) => fields.string(ref, key, `objectRef.${key}`);
    const resource = refString('resource');
    const subresource = refString('subresource');
    const namespace = refString('namespace');
    const name = refString('name');
    const response = fields.object(event, 'responseStatus') ?? {};
    const code = fields.number(response, 'code', 'responseStatus.code');
    if (code !== undefined && !Number.isInteger(code))
      throw fields.invalid('responseStatus.code must be an integer');
    const annotations = fields.object(event, 'annotations') ?? {};
    const decision = annotation(annotations, 'authorization.k8s.io/decision');
    const authzReason = annotation(annotations, 'authorization.k8s.io/reason');
    const requestUri = fields.string(event, 'requestURI');
    const action = resource
      ? `${resource}${subresource ? `/${subresource}` : ''}.${verb}`
      : `nonresource.${verb}`;
    const isPod = resource === 'pods';
    const exec = subresource === 'exec' || subresource === 'attach' ? execDetails(requestUri) : {};
    const createdMeta = [event.responseObject, event.requestObject]
      .map((object) => (isRecord(object) && isRecord(object.metadata) ? object.metadata : undefined))
      .find(Boolean);
    const metaString = (key: string) =>
      typeof createdMeta?.[key] === 'string' ? createdMeta[key] : undefined;
    const original = originalParts(rawText);
    const target = [namespace, name ?? (isPod ? metaString('name') : undefined)].filter(Boolean).join('/');

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
        outcome: outcomeOf(decision, code),
        reason: authzReason ?? fields.string(response, 'reason', 'responseStatus.reason'),
        original: original.original,
        ingested: receivedAt.toISOString(),
        created: received !== undefined && received !== timestamp ? received : undefined,
      },
      user: {
        name: username,
        id: fields.string(user, 'uid', 'user.uid'),
        group: { name: fields.strings(user, 'groups', 'user.groups') },
        changes: { name: fields.string(impersonated, 'username', 'impersonatedUser.username') },
      },
      source: { ip: (fields.strings(event, 'sourceIPs') ?? []).filter((ip) => isIP(ip) !== 0) },
      user_agent: { original: fields.string(event, 'userAgent') },
      orchestrator: {
        type: 'kubernetes',
        namespace,
        api_version: refString('apiVersion'),
        resource: { type: resource, name, id: refString('uid') },
      },
      kubernetes: {
        audit_id: auditId,
        stage,
        verb,
        subresource,
        api_group: refString('apiGroup'),
        request_uri: requestUri,
        response_code: code,
        audit_level: fields.string(event, 'level'),
        authorization: { decision, reason: authzReason },
        namespace: isPod ? namespace : undefined,
        pod: isPod
          ? { name: name ?? metaString('name'), uid: refString('uid') ?? metaString('uid') }
          : undefined,
        container: { name: exec.container },
        request: requestFacts(event.requestObject),
      },
      process: { command_line: exec.command },
      cairn: cairnFields(this, original),
    });
  }
}
