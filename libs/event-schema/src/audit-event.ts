/** Where an event comes from; CAIRN is Cairn's own record of access to the audit trail. */
export const SOURCE_KINDS = ['RUNTIME', 'ORCHESTRATOR', 'REGISTRY', 'POLICY', 'CAIRN'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const OUTCOMES = ['success', 'failure', 'unknown'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const PRODUCTS = [
  'kubernetes',
  'docker',
  'containerd',
  'falco',
  'distribution',
  'harbor',
  'opa',
  'cairn',
] as const;
export type Product = (typeof PRODUCTS)[number];

/**
 * The normalized event as stored in Elasticsearch (ECS-shaped JSON). Optional parts are absent,
 * never null, so a missing value is never mistaken for a recorded empty one.
 */
export interface AuditEventDocument {
  '@timestamp': string;
  message?: string;
  tags?: string[];
  event: {
    id: string;
    kind: 'event' | 'alert';
    category?: string[];
    type?: string[];
    action: string;
    outcome: Outcome;
    reason?: string;
    severity?: number;
    original?: string;
    ingested: string;
    created?: string;
  };
  log?: { level?: string };
  user?: {
    name?: string;
    id?: string;
    group?: { name?: string[] };
    changes?: { name?: string };
    roles?: string[];
  };
  source?: { ip?: string[] };
  user_agent?: { original?: string };
  host?: { name?: string };
  url?: { original?: string };
  http?: { request?: { method?: string; id?: string } };
  orchestrator?: {
    type?: string;
    cluster?: { name?: string };
    namespace?: string;
    api_version?: string;
    resource?: { type?: string; name?: string; id?: string; parent?: { type?: string } };
  };
  kubernetes?: {
    audit_id?: string;
    stage?: string;
    verb?: string;
    subresource?: string;
    api_group?: string;
    request_uri?: string;
    response_code?: number;
    audit_level?: string;
    authorization?: { decision?: string; reason?: string };
    namespace?: string;
    pod?: { name?: string; uid?: string };
    container?: { name?: string };
    request?: {
      images?: string[];
      privileged?: boolean;
      host_network?: boolean;
      host_pid?: boolean;
      host_ipc?: boolean;
      host_paths?: string[];
      role_ref?: string;
      subjects?: string[];
      /** Rule lists of a created or changed Role that grant "*" (verbs, resources, apiGroups, …). */
      wildcards?: string[];
    };
  };
  container?: {
    id?: string;
    short_id?: string;
    name?: string;
    runtime?: string;
    image?: { name?: string; tag?: string; hash?: { all?: string[] } };
    exit_code?: number;
  };
  network?: { name?: string };
  volume?: { name?: string };
  process?: {
    name?: string;
    command_line?: string;
    pid?: number;
    executable?: string;
    parent?: { name?: string };
    user?: { name?: string };
    exec_id?: string;
  };
  rule?: { name?: string; id?: string; ruleset?: string; version?: string };
  registry?: {
    name?: string;
    action?: string;
    repository?: string;
    tag?: string;
    digest?: string;
    media_type?: string;
    artifact_kind?: string;
    size?: number;
    project?: string;
    scan?: {
      status?: string;
      scanner?: string;
      severity?: string;
      total?: number;
      fixable?: number;
      critical?: number;
      high?: number;
      medium?: number;
      low?: number;
      unknown?: number;
    };
    quota?: { message?: string };
  };
  cairn: {
    source_kind: SourceKind;
    product: Product;
    schema_version: string;
    original?: { size: number; truncated: boolean; sha256?: string };
    /** Keyword values cut to KEYWORD_MAX_LENGTH: which fields, and the SHA-256 of each whole value. */
    truncated?: { fields: string[]; sha256: string[] };
    /** For Cairn's own access records: what was asked of the API. */
    api?: {
      route?: string;
      operation?: string;
      query_sha256?: string;
      variables_sha256?: string;
      result_count?: number;
      error_code?: string;
    };
    /** For Cairn's retention runs: what was deleted, and what was kept for a legal hold. */
    retention?: { deleted: string[]; held: string[]; days: number };
    /**
     * Where ingest read the event: raw topic, partition, offset, and its place among the events of
     * that message. The feed's export cursor follows it, so it is an order that needs no clock.
     */
    position?: { topic: string; partition: number; offset: number; item: number };
    /** Which intake credential delivered the event (HTTP senders only). */
    intake?: { sender: string };
    /** The compliance controls the event evidences, and the catalog+scope version that said so. */
    compliance?: { controls: string[]; version: string };
    /**
     * The event's link in its hash chain (one per raw topic partition): its sequence number, the
     * previous link's hash, and SHA-256(prev ‖ SHA-256(canonical event)).
     */
    integrity?: { chain: string; seq: number; prev: string; hash: string };
    /** For Cairn's verifications of the chains (cairn.integrity.verify): what was checked, what was found. */
    verification?: { events: number; chains: number; findings: number; kinds: string[] };
  };
}
