/** The parts of audit.k8s.io Event (v1, v1beta1, and the older unversioned form) Cairn reads. */
export interface KubernetesAuditEvent {
  kind: 'Event';
  apiVersion?: string;
  level?: string;
  auditID: string;
  stage: string;
  requestURI?: string;
  verb: string;
  user?: { username?: string; uid?: string; groups?: string[] };
  impersonatedUser?: { username?: string };
  sourceIPs?: string[];
  userAgent?: string;
  objectRef?: {
    resource?: string;
    namespace?: string;
    name?: string;
    uid?: string;
    apiGroup?: string;
    apiVersion?: string;
    subresource?: string;
  };
  responseStatus?: { code?: number; reason?: string; message?: string; status?: string };
  requestReceivedTimestamp?: string;
  stageTimestamp?: string;
  timestamp?: string;
  annotations?: Record<string, string>;
  requestObject?: { metadata?: Record<string, unknown>; [key: string]: unknown };
  responseObject?: { metadata?: Record<string, unknown>; [key: string]: unknown };
}
