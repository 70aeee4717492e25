import type { KafkaSaslMechanism } from './settings';

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

/** What an HTTP server (the API, the intake) serves HTTPS with; a client CA makes client certificates a way to sign in. */
export interface HttpTls {
  readonly cert: string;
  readonly key: string;
  readonly clientCa?: string;
}
