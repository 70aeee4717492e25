import type { AuditEventDocument } from '@cairn/event-schema';
import { Outcome, SourceKind, type AuditEvent } from './audit-event.model';

const OUTCOME: Record<AuditEventDocument['event']['outcome'], Outcome> = {
  success: Outcome.SUCCESS,
  failure: Outcome.FAILURE,
  unknown: Outcome.UNKNOWN,
};

/** The stored ECS document to the GraphQL shape (camelCase, grouped for investigators). */
export function toAuditEvent(document: AuditEventDocument): AuditEvent {
  const k8s = document.kubernetes;
  const orchestrator = document.orchestrator;
  return {
    id: document.event.id,
    timestamp: new Date(document['@timestamp']),
    ingestedAt: new Date(document.event.ingested),
    sourceKind: SourceKind[document.cairn.source_kind],
    product: document.cairn.product,
    action: document.event.action,
    category: document.event.category ?? [],
    type: document.event.type ?? [],
    outcome: OUTCOME[document.event.outcome],
    message: document.message,
    reason: document.event.reason,
    actor: {
      name: document.user?.name,
      id: document.user?.id,
      groups: document.user?.group?.name ?? [],
      impersonatedBy: document.user?.changes?.name,
      sourceIps: document.source?.ip ?? [],
      userAgent: document.user_agent?.original,
    },
    kubernetes: k8s && {
      verb: k8s.verb,
      resource: orchestrator?.resource?.type,
      subresource: k8s.subresource,
      apiGroup: k8s.api_group,
      namespace: orchestrator?.namespace,
      name: orchestrator?.resource?.name,
      auditId: k8s.audit_id,
      stage: k8s.stage,
      responseCode: k8s.response_code,
      decision: k8s.authorization?.decision,
      reason: k8s.authorization?.reason,
    },
    original: document.event.original,
  };
}
