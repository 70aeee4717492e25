import type { IntegrityConfig } from '@cairn/integrity';
import type { LegalHold } from '@cairn/retention';
import { normalSubject, type ApiRole, type ApiTokenEntry } from './api-tokens';
import type { Product } from '@cairn/event-schema';
import type { ComplianceScope } from '@cairn/compliance';
import type { FeedSettings } from '@cairn/feed';
import type { KafkaSaslMechanism, LogLevel } from './settings';

export interface KafkaTls {
  /** PEM CA certificate(s); absent, the system's trusted CAs. */
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly serverName?: string;
}

export interface KafkaSasl {
  readonly mechanism: KafkaSaslMechanism;
  readonly username: string;
  readonly password: string;
}

export interface KafkaConfig {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Absent: plain text (only when chosen, or when nothing secure was configured). */
  readonly tls?: KafkaTls;
  readonly sasl?: KafkaSasl;
}

export type ElasticsearchAuth =
  { readonly apiKey: string } | { readonly username: string; readonly password: string };

export interface ElasticsearchConfig {
  /** The first node, for messages. */
  readonly url: string;
  /** Every node given (ELASTICSEARCH_URL, comma-separated): requests go round them, skipping dead ones. */
  readonly nodes: readonly string[];
  readonly auth?: ElasticsearchAuth;
  /** PEM contents of the CA that signs the cluster's certificate, when it is not a public one. */
  readonly caCertificate?: string;
  /** SHA-256 of the CA or node certificate, checked on connect (Elasticsearch's own set-up prints it). */
  readonly caFingerprint?: string;
  /** A client certificate and its key (PEM), for clusters that authenticate clients by certificate. */
  readonly clientCertificate?: { readonly cert: string; readonly key: string };
  readonly indexPrefix: string;
  readonly replicas: number;
  readonly shards: number;
  readonly refreshInterval: string;
  readonly requestTimeoutMs: number;
}

export interface TopicsConfig {
  readonly orchestrator: string;
  readonly runtime: string;
  readonly registry: string;
  readonly deadLetter: string;
  /** Raw topics bound to one source; a topic not listed is detected by content. */
  readonly sources: Readonly<Record<string, Product>>;
}

export interface InputLimits {
  readonly maxBytes: number;
  readonly maxDepth: number;
  readonly maxFutureSkewMs: number;
  readonly maxEventAgeMs: number;
  readonly maxEventsPerMessage: number;
}

/** What bounds ingest's memory and parallelism: fetched bytes, bulk size, bulks in flight. */
export interface FlowLimits {
  readonly bulkMaxEvents: number;
  readonly bulkMaxBytes: number;
  readonly partitionsConcurrency: number;
  readonly fetchMaxBytes: number;
  readonly fetchMaxBytesPerPartition: number;
  readonly sessionTimeoutMs: number;
}

export interface IngestConfig {
  readonly kafka: KafkaConfig;
  /** Faults on purpose, for tests (development mode only). */
  readonly failpoints: { readonly normalizerBug?: string };
  readonly elasticsearch: ElasticsearchConfig;
  readonly topics: TopicsConfig;
  readonly consumerGroup: string;
  readonly topicPartitions: number;
  /** Undefined: the broker's default.replication.factor. */
  readonly topicReplicationFactor?: number;
  /** Undefined: the broker's min.insync.replicas. */
  readonly topicMinInsyncReplicas?: number;
  readonly topicMaxMessageBytes: number;
  readonly flow: FlowLimits;
  readonly limits: InputLimits;
  readonly http: { readonly host: string; readonly port: number };
  readonly readinessThresholdMs: number;
  /** From CAIRN_CONFIG's compliance: section; the defaults (no framework scoped) without one. */
  readonly compliance: ComplianceScope;
  readonly legalHolds: readonly LegalHold[];
  /** From CAIRN_CONFIG's feed: section: the SIEM formats written to Kafka after each store. */
  readonly feed: FeedSettings;
  /** How often ingest runs retention (hours; 0: never, leave it to `cairn retention`). */
  readonly retentionIntervalHours: number;
  /** Hash chains and signed checkpoints (CAIRN_INTEGRITY_*). */
  readonly integrity: IntegrityConfig;
  readonly logLevel: LogLevel;
}

/** What the API serves HTTPS with; a client CA makes client certificates a way to sign in. */
export interface ApiTls {
  readonly cert: string;
  readonly key: string;
  readonly clientCa?: string;
}

export interface ApiToken {
  readonly name: string;
  readonly role: ApiRole;
  /** A bearer token's SHA-256 (hex). */
  readonly sha256?: string;
  /** Or a client certificate's subject, normalized (normalSubject). */
  readonly subject?: string;
}

export interface ApiConfig {
  readonly kafka: KafkaConfig;
  readonly elasticsearch: ElasticsearchConfig;
  /** Plain HTTP without `tls` (loopback, or CAIRN_API_TLS=off); HTTPS with it. */
  readonly http: { readonly host: string; readonly port: number; readonly tls?: ApiTls };
  readonly tokens: readonly ApiToken[];
  /**
   * Signs paging cursors. Absent: a random one per process (cursors then do not survive a restart
   * nor move between API instances behind one address).
   */
  readonly cursorSecret?: string;
  /** Proxies whose X-Forwarded-For names the client (addresses or CIDR ranges). */
  readonly trustedProxies: readonly string[];
  /** Open points in time per caller. */
  readonly maxOpenPagings: number;
  readonly rateLimitPerMinute: number;
  /** Per search, on top of the client's own request timeout. */
  readonly queryTimeoutMs: number;
  readonly maxQueryCost: number;
  readonly production: boolean;
  readonly readinessThresholdMs: number;
  /** From CAIRN_CONFIG's compliance: section; the defaults (no framework scoped) without one. */
  readonly compliance: ComplianceScope;
  /** Which keys checkpoints may be signed with, and where the checkpoint log is (CAIRN_INTEGRITY_*). */
  readonly integrity: IntegrityConfig;
  /** From CAIRN_CONFIG's feed: section (the export's HEC index). */
  readonly feed: FeedSettings;
  /** The raw topics and ingest's group, whose committed offsets bound the feed export. */
  readonly ingest: { readonly rawTopics: readonly string[]; readonly consumerGroup: string };
  readonly logLevel: LogLevel;
}

export function toApiToken(entry: ApiTokenEntry): ApiToken {
  return {
    name: entry.name,
    role: entry.role,
    ...(entry.sha256 && { sha256: entry.sha256 }),
    ...(entry.subject && { subject: normalSubject(entry.subject) }),
  };
}

export interface CommandConfig {
  readonly elasticsearch: ElasticsearchConfig;
  readonly integrity: IntegrityConfig;
  readonly compliance: ComplianceScope;
  /** CAIRN_CONFIG's legalHolds: events retention must never delete. */
  readonly legalHolds: readonly LegalHold[];
  readonly logLevel: LogLevel;
}

export interface FeedAppConfig {
  readonly kafka: KafkaConfig;
  readonly feed: FeedSettings;
  /** Each HEC feed's token, by feed name, read from the variable its tokenEnv names (or _FILE). */
  readonly hecTokens: Readonly<Record<string, string>>;
  readonly http: { readonly host: string; readonly port: number };
  readonly readinessThresholdMs: number;
  readonly logLevel: LogLevel;
}
