import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parseApiTokens, toApiToken, type ApiToken } from '@cairn/api-policy';
import { DEFAULT_SCOPE, parseScopeSection, type ComplianceScope } from '@cairn/compliance';
import {
  ConfigError,
  ConfigFile,
  elasticsearchConfig,
  httpTlsConfig,
  kafkaConfig,
  readSecret,
  validateSettings,
  type ElasticsearchConfig,
  type Environment,
  type HttpTls,
  type KafkaConfig,
  type LogLevel,
} from '@cairn/config';
import { DEFAULT_FEED, parseFeedDocument, type FeedSettings } from '@cairn/feed';
import { integrityConfigOf, type IntegrityConfig } from '@cairn/integrity';
import { ApiSettings } from './api-settings';

export interface ApiConfig {
  readonly kafka: KafkaConfig;
  readonly elasticsearch: ElasticsearchConfig;
  /** Plain HTTP without `tls` (loopback, or CAIRN_API_TLS=off); HTTPS with it. */
  readonly http: { readonly host: string; readonly port: number; readonly tls?: HttpTls };
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

function apiTlsConfig(settings: ApiSettings, problems: string[]): HttpTls | undefined {
  return httpTlsConfig(
    {
      prefix: 'CAIRN_API',
      host: settings.CAIRN_API_HOST,
      mode: settings.CAIRN_API_TLS,
      certFile: settings.CAIRN_API_TLS_CERT_FILE,
      keyFile: settings.CAIRN_API_TLS_KEY_FILE,
      clientCaFile: settings.CAIRN_API_TLS_CLIENT_CA_FILE,
    },
    problems,
  );
}

/** The API's configuration, composed from the sections the libraries own. */
export function loadApiConfig(env: Environment = process.env): ApiConfig {
  const problems: string[] = [];
  const s = validateSettings(ApiSettings, env, problems);
  const elasticsearch = elasticsearchConfig(s, env, problems);
  const kafka = kafkaConfig(s, env, 'api', problems);
  const tls = apiTlsConfig(s, problems);
  const tokensJson = readSecret(env, 'CAIRN_API_TOKENS', problems);
  const tokens = tokensJson === undefined ? [] : parseApiTokens(tokensJson, 'CAIRN_API_TOKENS', problems);
  if (tokensJson === undefined && !problems.some((p) => p.startsWith('CAIRN_API_TOKENS'))) {
    problems.push(
      'CAIRN_API_TOKENS: no API tokens configured, so every request would be refused; ' +
        'create one with `npm run token -- <name> <role>` and set CAIRN_API_TOKENS or CAIRN_API_TOKENS_FILE',
    );
  }
  tokens.forEach((token, index) => {
    if (token.subject && !tls?.clientCa)
      problems.push(
        `CAIRN_API_TOKENS[${index}].subject: client certificates need HTTPS with CAIRN_API_TLS_CLIENT_CA_FILE`,
      );
  });
  const cursorSecret = readSecret(env, 'CAIRN_CURSOR_SECRET', problems);
  if (cursorSecret !== undefined && Buffer.byteLength(cursorSecret) < 32) {
    problems.push('CAIRN_CURSOR_SECRET: must be at least 32 bytes (e.g. `openssl rand -hex 32`)');
  }
  if (cursorSecret === undefined && s.CAIRN_MODE === 'production') {
    problems.push(
      'CAIRN_CURSOR_SECRET: required in production (CAIRN_MODE, the default): every API process must sign ' +
        'cursors with the same secret, e.g. `openssl rand -hex 32` in CAIRN_CURSOR_SECRET or CAIRN_CURSOR_SECRET_FILE',
    );
  }
  const trustedProxies = s.CAIRN_API_TRUSTED_PROXIES?.split(',').map((entry) => entry.trim());
  for (const entry of trustedProxies ?? []) {
    const [address, bits] = entry.split('/');
    const family = isIP(address);
    const maxBits = family === 6 ? 128 : 32;
    if (family === 0 || (bits !== undefined && Number(bits) > maxBits)) {
      problems.push(`CAIRN_API_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
    }
  }
  const file = ConfigFile.read(s.CAIRN_CONFIG, problems);
  const compliance = file.section(parseScopeSection, DEFAULT_SCOPE, problems);
  const feed = file.section(parseFeedDocument, DEFAULT_FEED, problems);
  const integrity = integrityConfigOf(env, 'api', (path) => readFileSync(path, 'utf8'), problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    kafka,
    feed,
    integrity,
    ingest: {
      rawTopics: [s.CAIRN_TOPIC_ORCHESTRATOR, s.CAIRN_TOPIC_RUNTIME, s.CAIRN_TOPIC_REGISTRY],
      consumerGroup: s.KAFKA_CONSUMER_GROUP,
    },
    trustedProxies: trustedProxies ?? [],
    maxOpenPagings: s.CAIRN_API_MAX_OPEN_PAGINGS,
    cursorSecret,
    rateLimitPerMinute: s.CAIRN_API_RATE_LIMIT_PER_MINUTE,
    queryTimeoutMs: s.CAIRN_API_QUERY_TIMEOUT_MS,
    maxQueryCost: s.CAIRN_API_MAX_QUERY_COST,
    elasticsearch,
    http: { host: s.CAIRN_API_HOST, port: s.CAIRN_API_PORT, ...(tls && { tls }) },
    tokens: tokens.map(toApiToken),
    production: s.CAIRN_MODE === 'production',
    readinessThresholdMs: s.CAIRN_READINESS_THRESHOLD_SECONDS * 1000,
    compliance,
    logLevel: s.CAIRN_LOG_LEVEL,
  };
}
