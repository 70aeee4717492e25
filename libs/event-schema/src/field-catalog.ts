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

/**
 * Longest keyword value indexed (Elasticsearch's ignore_above, in UTF-16 units). Longer values
 * are cut to it at ingest and flagged (cairn.truncated), so no stored value is silently unsearchable.
 */
export const KEYWORD_MAX_LENGTH = 4096;

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
    name: 'host.name',
    type: 'keyword',
    description: 'Host (node) where the event was observed.',
    example: 'worker-3',
  },
  {
    name: 'tags',
    type: 'keyword',
    array: true,
    description: 'Source tags, e.g. Falco rule tags.',
    example: 'mitre_execution',
  },
  {
    name: 'url.original',
    type: 'keyword',
    description: 'A URL the source reported (registry object URL).',
    example: 'https://registry.example.com/v2/team/app/manifests/sha256:…',
  },
  {
    name: 'http.request.method',
    type: 'keyword',
    description: 'HTTP method of the request that caused the event.',
    example: 'PUT',
  },
  {
    name: 'http.request.id',
    type: 'keyword',
    description: 'Request id the source assigned.',
    example: '3f2b…',
  },

  {
    name: 'orchestrator.resource.parent.type',
    type: 'keyword',
    description: 'Kind of the owning object, when the source says.',
    example: 'ReplicaSet',
  },
  {
    name: 'kubernetes.namespace',
    type: 'keyword',
    description: 'Namespace of the pod involved (correlation key for every source).',
    example: 'payments',
  },
  {
    name: 'kubernetes.pod.name',
    type: 'keyword',
    description: 'Pod involved (correlation key for every source).',
    example: 'checkout-6d9f7b8c5-x2kq4',
  },
  { name: 'kubernetes.pod.uid', type: 'keyword', description: 'UID of the pod involved.', example: '7c0d…' },
  {
    name: 'kubernetes.container.name',
    type: 'keyword',
    description: 'Container name inside the pod.',
    example: 'checkout',
  },
  {
    name: 'kubernetes.request.images',
    type: 'keyword',
    array: true,
    description: 'Images of the containers in a created or changed pod spec.',
    example: 'nginx:1.27',
  },
  {
    name: 'kubernetes.request.privileged',
    type: 'boolean',
    description: 'The request asked for a privileged container.',
    example: true,
  },
  {
    name: 'kubernetes.request.host_network',
    type: 'boolean',
    description: 'The pod spec asked for the host network.',
    example: false,
  },
  {
    name: 'kubernetes.request.host_pid',
    type: 'boolean',
    description: 'The pod spec asked for the host PID namespace.',
    example: false,
  },
  {
    name: 'kubernetes.request.host_ipc',
    type: 'boolean',
    description: 'The pod spec asked for the host IPC namespace.',
    example: false,
  },
  {
    name: 'kubernetes.request.host_paths',
    type: 'keyword',
    array: true,
    description: 'hostPath volumes of the pod spec.',
    example: '/var/run/docker.sock',
  },
  {
    name: 'kubernetes.request.role_ref',
    type: 'keyword',
    description: 'Role a created binding grants, as Kind/name.',
    example: 'ClusterRole/cluster-admin',
  },
  {
    name: 'kubernetes.request.subjects',
    type: 'keyword',
    array: true,
    description: 'Subjects of a created binding, as Kind:namespace/name.',
    example: 'User:alice',
  },
  {
    name: 'kubernetes.request.wildcards',
    type: 'keyword',
    array: true,
    description:
      'Which rule lists of a created or changed Role grant "*": verbs, resources, apiGroups, nonResourceURLs.',
    example: 'verbs',
  },

  {
    name: 'container.id',
    type: 'keyword',
    description: 'Container id; the full 64-hex id whenever the source gives it.',
    example: '4f66ad9a0b2e…',
  },
  {
    name: 'container.short_id',
    type: 'keyword',
    description: 'First 12 characters of the container id, as Falco and the CRI print it.',
    example: '4f66ad9a0b2e',
  },
  {
    name: 'container.name',
    type: 'keyword',
    description: 'Container name.',
    example: 'k8s_nginx_web-7d9f_default_…',
  },
  {
    name: 'container.runtime',
    type: 'keyword',
    description: 'docker, containerd, cri-o.',
    example: 'containerd',
  },
  {
    name: 'container.image.name',
    type: 'keyword',
    description: 'Image repository including its registry host, without tag or digest.',
    example: 'registry.example.com:5000/team/app',
  },
  { name: 'container.image.tag', type: 'keyword', description: 'Image tag.', example: '1.2' },
  {
    name: 'container.image.hash.all',
    type: 'keyword',
    array: true,
    description: 'Image digests (algorithm:hex).',
    example: 'sha256:9f86d0…',
  },
  {
    name: 'container.exit_code',
    type: 'long',
    description: 'Exit code of a container that stopped (Docker die, containerd task exit).',
    example: 137,
  },
  { name: 'network.name', type: 'keyword', description: 'Container network acted on.', example: 'bridge' },
  { name: 'volume.name', type: 'keyword', description: 'Container volume acted on.', example: 'pgdata' },

  { name: 'process.name', type: 'keyword', description: 'Process name.', example: 'bash' },
  {
    name: 'process.command_line',
    type: 'keyword',
    description: 'Full command line.',
    example: 'sh -c cat /etc/shadow',
  },
  { name: 'process.pid', type: 'long', description: 'Process id.', example: 4242 },
  {
    name: 'process.executable',
    type: 'keyword',
    description: 'Path of the executable.',
    example: '/usr/bin/bash',
  },
  { name: 'process.parent.name', type: 'keyword', description: 'Parent process name.', example: 'runc' },
  { name: 'process.user.name', type: 'keyword', description: 'User the process ran as.', example: 'root' },
  {
    name: 'process.exec_id',
    type: 'keyword',
    description: 'Runtime id of an exec session (Docker exec, containerd exec).',
    example: 'exec-1',
  },

  {
    name: 'rule.name',
    type: 'keyword',
    description: 'Detection rule that fired.',
    example: 'Terminal shell in container',
  },
  {
    name: 'rule.ruleset',
    type: 'keyword',
    description: 'Event source the rule watched (Falco: syscall, k8s_audit, a plugin).',
    example: 'syscall',
  },
  {
    name: 'event.severity',
    type: 'long',
    description: 'Numeric severity, syslog scale (0 emergency … 7 debug).',
    example: 4,
  },
  {
    name: 'log.level',
    type: 'keyword',
    description: 'Severity as the source words it (Falco priority).',
    example: 'Warning',
  },

  {
    name: 'registry.name',
    type: 'keyword',
    description: 'Registry host (and port).',
    example: 'registry.example.com:5000',
  },
  {
    name: 'registry.action',
    type: 'keyword',
    description: 'What the registry did: push, pull, delete, mount, scan, ….',
    example: 'push',
  },
  {
    name: 'registry.repository',
    type: 'keyword',
    description: 'Repository path without registry host.',
    example: 'team/app',
  },
  { name: 'registry.tag', type: 'keyword', description: 'Tag involved.', example: '1.2' },
  {
    name: 'registry.digest',
    type: 'keyword',
    description: 'Digest of the manifest or blob.',
    example: 'sha256:9f86d0…',
  },
  {
    name: 'registry.media_type',
    type: 'keyword',
    description: 'Media type of the target.',
    example: 'application/vnd.oci.image.manifest.v1+json',
  },
  {
    name: 'registry.artifact_kind',
    type: 'keyword',
    description: 'manifest or blob, from the media type.',
    example: 'manifest',
  },
  { name: 'registry.size', type: 'long', description: 'Size in bytes of the target.', example: 7023 },
  { name: 'registry.project', type: 'keyword', description: 'Harbor project.', example: 'team' },
  {
    name: 'registry.scan.status',
    type: 'keyword',
    description: 'Scan state reported by the registry.',
    example: 'Success',
  },
  {
    name: 'registry.scan.scanner',
    type: 'keyword',
    description: 'Scanner name and version.',
    example: 'Trivy 0.50.1',
  },
  {
    name: 'registry.scan.severity',
    type: 'keyword',
    description: 'Highest severity found.',
    example: 'Critical',
  },
  { name: 'registry.scan.total', type: 'long', description: 'Vulnerabilities found.', example: 12 },
  { name: 'registry.scan.fixable', type: 'long', description: 'Vulnerabilities with a fix.', example: 9 },
  { name: 'registry.scan.critical', type: 'long', description: 'Critical vulnerabilities.', example: 1 },
  { name: 'registry.scan.high', type: 'long', description: 'High vulnerabilities.', example: 3 },
  { name: 'registry.scan.medium', type: 'long', description: 'Medium vulnerabilities.', example: 5 },
  { name: 'registry.scan.low', type: 'long', description: 'Low vulnerabilities.', example: 3 },
  {
    name: 'registry.scan.unknown',
    type: 'long',
    description: 'Vulnerabilities of unknown severity.',
    example: 0,
  },
  {
    name: 'registry.quota.message',
    type: 'keyword',
    description: 'Harbor quota or replication detail text.',
    example: 'quota usage reach 85%',
  },

  {
    name: 'user.roles',
    type: 'keyword',
    array: true,
    description: 'Roles of the actor, where the source states them.',
    example: 'projectAdmin',
  },
  {
    name: 'rule.id',
    type: 'keyword',
    description: 'Id of the rule that fired, where the source has one.',
    example: 'T1059',
  },
  {
    name: 'rule.version',
    type: 'keyword',
    description: 'Revision of the policy that decided (OPA: each bundle as name@revision).',
    example: 'authz@W3sibCI6InN5cy9jYXRhbG9nIn1d',
  },
  {
    name: 'cairn.source_kind',
    type: 'keyword',
    description: "RUNTIME, ORCHESTRATOR, REGISTRY, or CAIRN for Cairn's own access records.",
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
    description: 'SHA-256 of the whole raw event, when event.original was cut.',
    example: '9f86d0…',
  },
  {
    name: 'cairn.truncated.fields',
    type: 'keyword',
    array: true,
    description: `Keyword fields whose value was longer than ${KEYWORD_MAX_LENGTH} characters and was cut there.`,
    example: 'process.command_line',
  },
  {
    name: 'cairn.truncated.sha256',
    type: 'keyword',
    array: true,
    description: 'SHA-256 of each cut value as it was whole (UTF-8), in the order of cairn.truncated.fields.',
    example: '9f86d0…',
  },
  {
    name: 'cairn.api.route',
    type: 'keyword',
    description: 'Access records: the route that matched (graphql; unmatched for a path no route serves).',
    example: 'graphql',
  },
  {
    name: 'cairn.api.operation',
    type: 'keyword',
    description: 'Access records: the GraphQL operation name, or its root fields when unnamed.',
    example: 'Timeline',
  },
  {
    name: 'cairn.api.query_sha256',
    type: 'keyword',
    description: 'Access records: SHA-256 of the query text (the text itself is not kept).',
    example: '3b4c…',
  },
  {
    name: 'cairn.api.variables_sha256',
    type: 'keyword',
    description: 'Access records: SHA-256 of the variables as sent (values are not kept).',
    example: '44136f…',
  },
  {
    name: 'cairn.api.result_count',
    type: 'long',
    description: 'Access records: events returned to the caller.',
    example: 50,
  },
  {
    name: 'cairn.api.error_code',
    type: 'keyword',
    description: 'Access records: the first error code returned, when the request failed.',
    example: 'FORBIDDEN',
  },
  {
    name: 'cairn.retention.deleted',
    type: 'keyword',
    array: true,
    description: 'Retention runs (cairn.retention): the monthly indices deleted, as past the retention.',
    example: 'cairn-events-2025.10',
  },
  {
    name: 'cairn.retention.held',
    type: 'keyword',
    array: true,
    description:
      'Retention runs: monthly indices past the retention but kept, as they hold events on legal hold.',
    example: 'cairn-events-2025.11',
  },
  {
    name: 'cairn.retention.days',
    type: 'integer',
    description: 'Retention runs: the retention applied (compliance.retention.days).',
    example: 365,
  },
  {
    name: 'cairn.intake.sender',
    type: 'keyword',
    description:
      'The intake credential that delivered the event over HTTP; its cluster or registry binding is what the event records.',
    example: 'prod-eu-apiserver',
  },
  {
    name: 'cairn.position.topic',
    type: 'keyword',
    description: 'The raw Kafka topic ingest read the event from (absent for records Cairn writes itself).',
    example: 'cairn.raw.orchestrator',
  },
  {
    name: 'cairn.position.partition',
    type: 'integer',
    description: 'The raw topic partition the event was read from.',
    example: 2,
  },
  {
    name: 'cairn.position.offset',
    type: 'long',
    description: 'The offset of the raw message in its partition: the order the SIEM feed pages in.',
    example: 18234,
  },
  {
    name: 'cairn.position.item',
    type: 'integer',
    description: "The event's place among the events one raw message became (an EventList), from 0.",
    example: 0,
  },
  {
    name: 'cairn.integrity.chain',
    type: 'keyword',
    description: 'The hash chain the event belongs to: its raw topic and partition (topic/partition).',
    example: 'cairn.raw.orchestrator/2',
  },
  {
    name: 'cairn.integrity.seq',
    type: 'long',
    description: "The event's place in its chain, from 1, in the order of its raw message offsets.",
    example: 18235,
  },
  {
    name: 'cairn.integrity.prev',
    type: 'keyword',
    description: 'Hash of the previous link in the chain (64 zeros before the first).',
    example: '5d41402a…',
  },
  {
    name: 'cairn.integrity.hash',
    type: 'keyword',
    description:
      'SHA-256 over prev (32 bytes) and the SHA-256 of the canonical event (every field but cairn.compliance and cairn.integrity).',
    example: '7b502c3a…',
  },
  {
    name: 'cairn.verification.events',
    type: 'long',
    description:
      'Integrity verifications (cairn.integrity.verify): the stored events whose hash and link were recomputed.',
    example: 1250000,
  },
  {
    name: 'cairn.verification.chains',
    type: 'integer',
    description: 'Integrity verifications: the chains verified.',
    example: 9,
  },
  {
    name: 'cairn.verification.findings',
    type: 'long',
    description: 'Integrity verifications: what was found wrong (0 when the trail verified).',
    example: 0,
  },
  {
    name: 'cairn.verification.kinds',
    type: 'keyword',
    array: true,
    description:
      'Integrity verifications: the kinds of finding (MODIFIED, MISSING, INSERTED, REORDERED, BAD_SIGNATURE, CHECKPOINT_GAP).',
    example: 'MISSING',
  },
  {
    name: 'cairn.compliance.controls',
    type: 'keyword',
    array: true,
    description:
      'Compliance controls the event evidences, as FRAMEWORK:control (tagged at ingest, re-tagged on change).',
    example: 'PCI_DSS:10.2.1.4',
  },
  {
    name: 'cairn.compliance.version',
    type: 'keyword',
    description: 'Catalog version and scope fingerprint the tags were computed with.',
    example: '2026.11.1+3f2a9c1b7d4e',
  },
];

export const FIELD_NAMES: ReadonlySet<string> = new Set(FIELD_CATALOG.map((field) => field.name));
