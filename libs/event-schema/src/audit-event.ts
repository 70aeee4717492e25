export const SOURCE_KINDS = ['RUNTIME', 'ORCHESTRATOR', 'REGISTRY'] as const;
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
  event: {
    id: string;
    kind: 'event' | 'alert';
    category?: string[];
    type?: string[];
    action: string;
    outcome: Outcome;
    reason?: string;
    original?: string;
    ingested: string;
    created?: string;
  };
  user?: {
    name?: string;
    id?: string;
    group?: { name?: string[] };
    changes?: { name?: string };
  };
  source?: { ip?: string[] };
  user_agent?: { original?: string };
  orchestrator?: {
    type?: string;
    cluster?: { name?: string };
    namespace?: string;
    api_version?: string;
    resource?: { type?: string; name?: string; id?: string };
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
  };
  cairn: {
    source_kind: SourceKind;
    product: Product;
    schema_version: string;
    original?: { size: number; truncated: boolean; sha256: string };
  };
}
