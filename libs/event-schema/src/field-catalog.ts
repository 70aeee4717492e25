/**
 * Every field Cairn writes, declared once. The Elasticsearch mapping is generated from this list
 * and the golden-file tests fail on any field a normalizer emits that is not declared here.
 * Names follow ECS where ECS has the concept; `kubernetes.*` and `cairn.*` hold what it lacks.
 */
export type FieldType = 'keyword' | 'text' | 'date' | 'long' | 'integer' | 'boolean' | 'ip' | 'stored';

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly description: string;
  readonly example: string | number | boolean;
  /** The field holds a list of values. */
  readonly array?: boolean;
}

export const SCHEMA_VERSION = '1';

export const FIELD_CATALOG: readonly FieldSpec[] = [
  {
    name: '@timestamp',
    type: 'date',
    description: 'When the event happened, per its source.',
    example: '2026-01-31T12:00:00.000Z',
  },
  {
    name: 'message',
    type: 'text',
    description: 'A one-line human summary of the event.',
    example: 'minikube-user create pods/exec default/nginx',
  },

  {
    name: 'event.id',
    type: 'keyword',
    description: "Deterministic id from the product and the source's native identity; also the document _id.",
    example: '5f1c…',
  },
  {
    name: 'event.kind',
    type: 'keyword',
    description: 'ECS event.kind: event, or alert for detections.',
    example: 'event',
  },
  { name: 'event.category', type: 'keyword', array: true, description: 'ECS categories.', example: 'iam' },
  { name: 'event.type', type: 'keyword', array: true, description: 'ECS types.', example: 'creation' },
  {
    name: 'event.action',
    type: 'keyword',
    description: 'Cairn action vocabulary, e.g. pods/exec.create.',
    example: 'pods/exec.create',
  },
  { name: 'event.outcome', type: 'keyword', description: 'success, failure or unknown.', example: 'success' },
  {
    name: 'event.reason',
    type: 'keyword',
    description: 'Why the outcome was what it was, when the source says.',
    example: 'RBAC: allowed by ClusterRoleBinding "admin"',
  },
  {
    name: 'event.original',
    type: 'stored',
    description: 'The raw source event, kept for forensics (stored, not indexed; cut above the size cap).',
    example: '{"kind":"Event",…}',
  },
  {
    name: 'event.ingested',
    type: 'date',
    description: 'When Cairn normalized the event.',
    example: '2026-01-31T12:00:01.000Z',
  },
  {
    name: 'event.created',
    type: 'date',
    description: 'When the source recorded the event, if it differs from @timestamp.',
    example: '2026-01-31T12:00:00.000Z',
  },

  {
    name: 'user.name',
    type: 'keyword',
    description: 'Who acted: a user or service account name.',
    example: 'system:serviceaccount:ci:deployer',
  },
  { name: 'user.id', type: 'keyword', description: "The source's stable id of the actor.", example: '2f3a…' },
  {
    name: 'user.group.name',
    type: 'keyword',
    array: true,
    description: 'Groups of the actor.',
    example: 'system:masters',
  },
  {
    name: 'user.changes.name',
    type: 'keyword',
    description: 'The identity the actor impersonated.',
    example: 'alice',
  },
  {
    name: 'source.ip',
    type: 'ip',
    array: true,
    description: 'Client addresses, first is the origin.',
    example: '192.168.99.1',
  },
  {
    name: 'user_agent.original',
    type: 'keyword',
    description: "The client's user agent.",
    example: 'kubectl/v1.30.0',
  },

  { name: 'orchestrator.type', type: 'keyword', description: 'kubernetes.', example: 'kubernetes' },
  {
    name: 'orchestrator.cluster.name',
    type: 'keyword',
    description: 'Cluster the event came from, when known.',
    example: 'prod-eu-1',
  },
  {
    name: 'orchestrator.namespace',
    type: 'keyword',
    description: 'Namespace of the object acted on.',
    example: 'payments',
  },
  {
    name: 'orchestrator.api_version',
    type: 'keyword',
    description: 'API version of the object acted on.',
    example: 'v1',
  },
  {
    name: 'orchestrator.resource.type',
    type: 'keyword',
    description: 'Resource acted on (plural, as in the API path).',
    example: 'pods',
  },
  {
    name: 'orchestrator.resource.name',
    type: 'keyword',
    description: 'Name of the object acted on.',
    example: 'nginx-7998647bdf-phvq7',
  },
  {
    name: 'orchestrator.resource.id',
    type: 'keyword',
    description: 'UID of the object acted on.',
    example: '0f2c…',
  },

  {
    name: 'kubernetes.audit_id',
    type: 'keyword',
    description: "The API server's auditID.",
    example: 'ca1ed9f4-7bf4-4c85-81a8-1b11253d1ba6',
  },
  {
    name: 'kubernetes.stage',
    type: 'keyword',
    description: 'Audit stage: RequestReceived, ResponseStarted, ResponseComplete, Panic.',
    example: 'ResponseComplete',
  },
  { name: 'kubernetes.verb', type: 'keyword', description: 'API verb.', example: 'create' },
  {
    name: 'kubernetes.subresource',
    type: 'keyword',
    description: 'Subresource, e.g. exec, attach, log.',
    example: 'exec',
  },
  {
    name: 'kubernetes.api_group',
    type: 'keyword',
    description: 'API group of the resource; empty for the core group.',
    example: 'rbac.authorization.k8s.io',
  },
  {
    name: 'kubernetes.request_uri',
    type: 'keyword',
    description: 'The request URI as sent.',
    example: '/api/v1/namespaces/default/pods',
  },
  {
    name: 'kubernetes.response_code',
    type: 'integer',
    description: 'HTTP status of the response.',
    example: 201,
  },
  {
    name: 'kubernetes.audit_level',
    type: 'keyword',
    description: 'Audit policy level of the event.',
    example: 'RequestResponse',
  },
  {
    name: 'kubernetes.authorization.decision',
    type: 'keyword',
    description: 'authorization.k8s.io/decision annotation.',
    example: 'allow',
  },
  {
    name: 'kubernetes.authorization.reason',
    type: 'keyword',
    description: 'authorization.k8s.io/reason annotation.',
    example: 'RBAC: allowed by ClusterRoleBinding',
  },

  {
    name: 'cairn.source_kind',
    type: 'keyword',
    description: 'RUNTIME, ORCHESTRATOR or REGISTRY.',
    example: 'ORCHESTRATOR',
  },
  {
    name: 'cairn.product',
    type: 'keyword',
    description: 'The product that emitted the event.',
    example: 'kubernetes',
  },
  {
    name: 'cairn.schema_version',
    type: 'keyword',
    description: 'Version of this event model.',
    example: SCHEMA_VERSION,
  },
  {
    name: 'cairn.original.size',
    type: 'long',
    description: 'Size in bytes of the raw event.',
    example: 1834,
  },
  {
    name: 'cairn.original.truncated',
    type: 'boolean',
    description: 'event.original was cut at the size cap.',
    example: false,
  },
  {
    name: 'cairn.original.sha256',
    type: 'keyword',
    description: 'SHA-256 of the whole raw event.',
    example: '9f86d0…',
  },
];

export const FIELD_NAMES: ReadonlySet<string> = new Set(FIELD_CATALOG.map((field) => field.name));
