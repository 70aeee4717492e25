import type { Framework } from '../compliance/compliance.model';
import type { AuditEventDocument } from '@cairn/event-schema';
import { Outcome, SourceKind, type AuditEvent, type Image } from './audit-event.model';

const OUTCOME: Record<AuditEventDocument['event']['outcome'], Outcome> = {
  success: Outcome.SUCCESS,
  failure: Outcome.FAILURE,
  unknown: Outcome.UNKNOWN,
};

function imageOf(document: AuditEventDocument): Image | undefined {
  const image = document.container?.image;
  if (!image) return undefined;
  const slash = image.name?.indexOf('/') ?? -1;
  return {
    registry: slash > 0 ? image.name!.slice(0, slash) : undefined,
    repository: slash > 0 ? image.name!.slice(slash + 1) : image.name,
    tag: image.tag,
    digest: image.hash?.all?.[0],
  };
}

/** The stored ECS document to the GraphQL shape (camelCase, grouped for investigators). */
export function toAuditEvent(document: AuditEventDocument): AuditEvent {
  const k8s = document.kubernetes;
  const orchestrator = document.orchestrator;
  const container = document.container;
  const process = document.process;
  const registry = document.registry;
  const request = k8s?.request;
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
      cluster: orchestrator?.cluster?.name,
      auditId: k8s.audit_id,
      stage: k8s.stage,
      responseCode: k8s.response_code,
      decision: k8s.authorization?.decision,
      reason: k8s.authorization?.reason,
      request: request && {
        images: request.images ?? [],
        privileged: request.privileged,
        hostNetwork: request.host_network,
        hostPid: request.host_pid,
        hostIpc: request.host_ipc,
        hostPaths: request.host_paths ?? [],
        roleRef: request.role_ref,
        subjects: request.subjects ?? [],
        wildcards: request.wildcards ?? [],
      },
    },
    severity: document.event.severity,
    tags: document.tags ?? [],
    host: document.host?.name,
    container:
      container && (container.id || container.name)
        ? {
            id: container.id,
            shortId: container.short_id,
            name: container.name,
            runtime: container.runtime,
            exitCode: container.exit_code,
          }
        : undefined,
    pod:
      k8s?.pod || k8s?.namespace
        ? {
            namespace: k8s.namespace,
            name: k8s.pod?.name,
            uid: k8s.pod?.uid,
            container: k8s.container?.name,
          }
        : undefined,
    image: imageOf(document),
    process: process && {
      name: process.name,
      commandLine: process.command_line,
      pid: process.pid,
      executable: process.executable,
      user: process.user?.name,
      parentName: process.parent?.name,
      execId: process.exec_id,
    },
    rule: document.rule && {
      name: document.rule.name,
      priority: document.log?.level,
      ruleset: document.rule.ruleset,
      tags: document.tags ?? [],
    },
    registry: registry && {
      name: registry.name,
      action: registry.action,
      repository: registry.repository,
      tag: registry.tag,
      digest: registry.digest,
      mediaType: registry.media_type,
      artifactKind: registry.artifact_kind,
      size: registry.size,
      project: registry.project,
      scan: registry.scan,
    },
    compliance: (document.cairn.compliance?.controls ?? []).flatMap((ref) => {
      const colon = ref.indexOf(':');
      return colon > 0
        ? [{ framework: ref.slice(0, colon) as Framework, control: ref.slice(colon + 1) }]
        : [];
    }),
    original: document.event.original,
  };
}
