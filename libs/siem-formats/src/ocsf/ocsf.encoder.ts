import type { AuditEventDocument } from '@cairn/event-schema';
import { epochMillis, summaryOf } from '../common/event-view';
import { severityLevel, type SeverityLevel } from '../common/severity';
import { classify, CLASSES, type ClassKind } from './ocsf-classes';
import {
  actorOf,
  compact,
  containerOf,
  deviceOf,
  metadataOf,
  processOf,
  resourcesOf,
  sourceEndpointOf,
  unmappedOf,
  userOf,
} from './ocsf-objects';

type Json = Record<string, unknown>;

const SEVERITY_ID: Readonly<Record<SeverityLevel, [number, string]>> = {
  critical: [5, 'Critical'],
  high: [4, 'High'],
  medium: [3, 'Medium'],
  low: [2, 'Low'],
  informational: [1, 'Informational'],
};

const STATUS: Readonly<Record<AuditEventDocument['event']['outcome'], [number, string]>> = {
  success: [1, 'Success'],
  failure: [2, 'Failure'],
  unknown: [0, 'Unknown'],
};

/**
 * Open Cybersecurity Schema Framework 1.8.0: one class per kind of event (see `classify`), with
 * `type_uid = class_uid × 100 + activity_id`, `metadata.uid` Cairn's event id and the compliance
 * controls in `metadata.labels`.
 */
export function encodeOcsf(document: AuditEventDocument): string {
  return JSON.stringify(toOcsf(document));
}

export function toOcsf(document: AuditEventDocument): Json {
  const { kind, activity } = classify(document);
  const ocsfClass = CLASSES[kind];
  const [severityId, severity] = SEVERITY_ID[severityLevel(document)];
  const [statusId, status] = STATUS[document.event.outcome];
  const body = CLASS_BODY[kind](document);
  const profiles = kind === 'process' && document.container ? ['container'] : [];
  return compact({
    activity_id: activity,
    activity_name: ocsfClass.activities[activity],
    category_uid: ocsfClass.categoryUid,
    category_name: ocsfClass.categoryName,
    class_uid: ocsfClass.uid,
    class_name: ocsfClass.name,
    type_uid: ocsfClass.uid * 100 + activity,
    type_name: `${ocsfClass.name}: ${ocsfClass.activities[activity]}`,
    severity_id: severityId,
    severity,
    status_id: statusId,
    status,
    status_detail: document.event.reason,
    time: epochMillis(document),
    message: summaryOf(document),
    metadata: metadataOf(document, profiles),
    ...body,
    unmapped: unmappedOf(document),
  });
}

const CLASS_BODY: Readonly<Record<ClassKind, (document: AuditEventDocument) => Json>> = {
  api: (document) =>
    compact({
      actor: actorOf(document),
      api: apiOf(document),
      // Required by API Activity; a source that names no client (a runtime's local API) gets the host.
      src_endpoint: sourceEndpointOf(document) ?? {
        ...deviceOf(document),
        type_id: undefined,
        type: undefined,
      },
      resources: resourcesOf(document),
      http_request: httpRequestOf(document),
      http_response:
        document.kubernetes?.response_code !== undefined
          ? { code: document.kubernetes.response_code }
          : undefined,
    }),
  lifecycle: (document) =>
    compact({
      app: compact({
        uid: document.container?.id,
        name: document.container?.name ?? document.container?.image?.name ?? document.container?.id,
        version: document.container?.image?.tag,
      }),
    }),
  process: (document) =>
    compact({
      actor: actorOf(document),
      device: deviceOf(document),
      process: processOf(document, true),
    }),
  'event-log': (document) =>
    compact({
      actor: actorOf(document),
      device: { name: 'Cairn store', type_id: 0, type: 'Unknown' },
      log_provider: 'Cairn',
      log_name: 'audit events',
    }),
  detection: (document) =>
    compact({
      is_alert: true,
      finding_info: compact({
        uid: document.event.id,
        title: document.rule?.name ?? summaryOf(document),
        analytic: document.rule?.name
          ? compact({ name: document.rule.name, uid: document.rule.id, type_id: 1, type: 'Rule' })
          : undefined,
        types: document.tags && document.tags.length > 0 ? [...document.tags] : undefined,
        created_time: epochMillis(document),
      }),
      device: document.host?.name ? deviceOf(document) : undefined,
      evidences: evidencesOf(document),
      resources: resourcesOf(document),
    }),
  vulnerability: (document) =>
    compact({
      finding_info: compact({
        uid: document.event.id,
        title: `Vulnerability scan of ${document.registry?.repository ?? 'an artifact'}`,
        created_time: epochMillis(document),
      }),
      vulnerabilities: vulnerabilitiesOf(document),
      resources: resourcesOf(document),
    }),
};

function apiOf(document: AuditEventDocument): Json {
  const kubernetes = document.kubernetes;
  const requestId = kubernetes?.audit_id ?? document.http?.request?.id;
  return compact({
    operation: kubernetes?.verb ?? document.registry?.action ?? document.event.action,
    version: document.orchestrator?.api_version,
    service: { name: serviceName(document) },
    request: requestId ? { uid: requestId } : undefined,
    response: kubernetes?.response_code !== undefined ? { code: kubernetes.response_code } : undefined,
  });
}

function serviceName(document: AuditEventDocument): string {
  switch (document.cairn.source_kind) {
    case 'ORCHESTRATOR':
      return document.orchestrator?.cluster?.name ?? 'kubernetes';
    case 'REGISTRY':
      return document.registry?.name ?? document.cairn.product;
    case 'RUNTIME':
      return `${document.cairn.product} API`;
    case 'POLICY':
      // The policy asked: its path names the service that decided.
      return document.rule?.name ?? document.cairn.product;
    case 'CAIRN':
      return 'Cairn API';
  }
}

function httpRequestOf(document: AuditEventDocument): Json | undefined {
  const request = compact({
    http_method: document.http?.request?.method,
    user_agent: document.user_agent?.original,
    uid: document.http?.request?.id,
  });
  return Object.keys(request).length > 0 ? request : undefined;
}

function evidencesOf(document: AuditEventDocument): Json[] | undefined {
  const evidence = compact({
    process: processOf(document),
    container: containerOf(document),
    user: userOf(document),
    src_endpoint: sourceEndpointOf(document),
  });
  const { container: _container, ...rest } = evidence;
  // An evidence needs one of its primary attributes: a container alone is context, not evidence.
  return Object.keys(rest).length > 0 ? [evidence] : undefined;
}

const SCAN_BUCKETS = ['critical', 'high', 'medium', 'low', 'unknown'] as const;

/**
 * Harbor reports a scan's counts per severity, not the vulnerabilities themselves: each non-empty
 * severity becomes one vulnerability entry that says so, identified by the scan (artifact digest,
 * scanner, severity) as an advisory, so the finding is honest about what is known.
 */
function vulnerabilitiesOf(document: AuditEventDocument): Json[] {
  const scan = document.registry?.scan ?? {};
  const digest = document.registry?.digest ?? document.event.id;
  return SCAN_BUCKETS.filter((bucket) => (scan[bucket] ?? 0) > 0).map((bucket) => {
    const count = scan[bucket]!;
    const title = `${count} ${bucket}-severity ${count === 1 ? 'vulnerability' : 'vulnerabilities'} reported by ${scan.scanner ?? 'the scanner'}`;
    return {
      title,
      severity: bucket === 'unknown' ? 'Unknown' : bucket[0].toUpperCase() + bucket.slice(1),
      advisory: { uid: `${digest}/${scan.scanner ?? 'scanner'}/${bucket}`, title },
    };
  });
}
