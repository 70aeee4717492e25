import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parseLegalHolds, type LegalHold } from '@cairn/retention';
import { parseApiTokens } from './api-tokens';
import {
  type CommandConfig,
  toApiToken,
  type ApiConfig,
  type FeedAppConfig,
  type IngestConfig,
} from './cairn-config';
import { DEFAULT_SCOPE, parseScopeDocument, ScopeError, type ComplianceScope } from '@cairn/compliance';
import { ConfigError } from './config.error';
import { DEFAULT_FEED, parseFeedDocument, type FeedSettings } from '@cairn/feed';
import { readSecret, type Environment } from './environment';
import { validateSettings } from './validate-settings';
import { integrityConfigOf } from '@cairn/integrity';
import { readCertificates, readPrivateKey } from './tls-files';
import { apiTlsConfig, elasticsearchConfig, kafkaConfig } from './transport-config';
import type { Product } from '@cairn/event-schema';
import { ApiSettings, CommonSettings, FeedAppSettings, IngestSettings } from './settings';

function legalHolds(path: string | undefined, problems: string[]): LegalHold[] {
  if (path === undefined) return [];
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return []; // complianceScope names the unreadable file
  }
  const found: string[] = [];
  const holds = parseLegalHolds(text, found);
  problems.push(...found.map((problem) => `CAIRN_CONFIG (${path}): ${problem}`));
  return holds;
}

function feedSettings(path: string | undefined, problems: string[]): FeedSettings {
  if (path === undefined) return DEFAULT_FEED;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return DEFAULT_FEED; // complianceScope names the unreadable file
  }
  const found: string[] = [];
  const feed = parseFeedDocument(text, found);
  problems.push(...found.map((problem) => `CAIRN_CONFIG (${path}): ${problem}`));
  return feed;
}

function complianceScope(path: string | undefined, problems: string[]): ComplianceScope {
  if (path === undefined) return DEFAULT_SCOPE;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(`CAIRN_CONFIG: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return DEFAULT_SCOPE;
  }
  try {
    return parseScopeDocument(text);
  } catch (error) {
    if (!(error instanceof ScopeError)) throw error;
    problems.push(...error.problems.map((problem) => `CAIRN_CONFIG (${path}): ${problem}`));
    return DEFAULT_SCOPE;
  }
}

export function loadIngestConfig(env: Environment = process.env): IngestConfig {
  const problems: string[] = [];
  const s = validateSettings(IngestSettings, env, problems);
  const elasticsearch = elasticsearchConfig(s, env, problems);
  const kafka = kafkaConfig(s, env, 'ingest', problems);
  const sources: Record<string, Product> = {};
  const bind = (topic: string, source: string) => {
    if (source !== 'auto') sources[topic] = source as Product;
  };
  bind(s.CAIRN_TOPIC_ORCHESTRATOR, s.CAIRN_TOPIC_ORCHESTRATOR_SOURCE);
  bind(s.CAIRN_TOPIC_RUNTIME, s.CAIRN_TOPIC_RUNTIME_SOURCE);
  bind(s.CAIRN_TOPIC_REGISTRY, s.CAIRN_TOPIC_REGISTRY_SOURCE);
  const topics = {
    orchestrator: s.CAIRN_TOPIC_ORCHESTRATOR,
    runtime: s.CAIRN_TOPIC_RUNTIME,
    registry: s.CAIRN_TOPIC_REGISTRY,
    deadLetter: s.CAIRN_TOPIC_DEAD_LETTER,
    sources,
  };
  const raw = [topics.orchestrator, topics.runtime, topics.registry];
  if (raw.includes(topics.deadLetter)) {
    problems.push(
      'CAIRN_TOPIC_DEAD_LETTER: must differ from the raw topics, or failures would be re-consumed',
    );
  }
  if (s.KAFKA_FETCH_MAX_BYTES_PER_PARTITION > s.KAFKA_FETCH_MAX_BYTES) {
    problems.push('KAFKA_FETCH_MAX_BYTES_PER_PARTITION: must not exceed KAFKA_FETCH_MAX_BYTES');
  }
  const compliance = complianceScope(s.CAIRN_CONFIG, problems);
  const holds = legalHolds(s.CAIRN_CONFIG, problems);
  const feed = feedSettings(s.CAIRN_CONFIG, problems);
  const rawTopics = [topics.orchestrator, topics.runtime, topics.registry, topics.deadLetter];
  for (const format of feed.formats) {
    if (rawTopics.includes(`${feed.topicPrefix}.${format}`)) {
      problems.push(
        `CAIRN_CONFIG (${s.CAIRN_CONFIG}): feed.topicPrefix: ${feed.topicPrefix}.${format} is a raw or dead-letter topic`,
      );
    }
  }
  const integrity = integrityConfigOf(env, 'ingest', (path) => readFileSync(path, 'utf8'), problems);
  if (s.CAIRN_FAILPOINT_NORMALIZER_BUG !== undefined && s.CAIRN_MODE !== 'development') {
    problems.push(
      'CAIRN_FAILPOINT_NORMALIZER_BUG: a failpoint makes ingest fail on purpose; only with CAIRN_MODE=development',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    kafka,
    failpoints: { normalizerBug: s.CAIRN_FAILPOINT_NORMALIZER_BUG },
    legalHolds: holds,
    feed,
    integrity,
    retentionIntervalHours: s.CAIRN_RETENTION_INTERVAL_HOURS,
    elasticsearch,
    topics,
    consumerGroup: s.KAFKA_CONSUMER_GROUP,
    topicPartitions: s.CAIRN_TOPIC_PARTITIONS,
    topicReplicationFactor: s.CAIRN_TOPIC_REPLICATION_FACTOR,
    topicMinInsyncReplicas: s.CAIRN_TOPIC_MIN_INSYNC_REPLICAS,
    topicMaxMessageBytes: s.CAIRN_TOPIC_MAX_MESSAGE_BYTES,
    flow: {
      bulkMaxEvents: s.CAIRN_BULK_MAX_EVENTS,
      bulkMaxBytes: s.CAIRN_BULK_MAX_BYTES,
      partitionsConcurrency: s.CAIRN_PARTITIONS_CONCURRENCY,
      fetchMaxBytes: s.KAFKA_FETCH_MAX_BYTES,
      fetchMaxBytesPerPartition: s.KAFKA_FETCH_MAX_BYTES_PER_PARTITION,
      sessionTimeoutMs: s.KAFKA_SESSION_TIMEOUT_MS,
    },
    limits: {
      maxBytes: s.CAIRN_MAX_MESSAGE_BYTES,
      maxDepth: s.CAIRN_MAX_JSON_DEPTH,
      maxFutureSkewMs: s.CAIRN_MAX_FUTURE_SKEW_SECONDS * 1000,
      maxEventAgeMs: (s.CAIRN_MAX_EVENT_AGE_DAYS ?? compliance.retention.days + 30) * 86_400_000,
      maxEventsPerMessage: s.CAIRN_MAX_EVENTS_PER_MESSAGE,
    },
    http: { host: s.CAIRN_INGEST_HOST, port: s.CAIRN_INGEST_PORT },
    readinessThresholdMs: s.CAIRN_READINESS_THRESHOLD_SECONDS * 1000,
    compliance,
    logLevel: s.CAIRN_LOG_LEVEL,
  };
}

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
  const compliance = complianceScope(s.CAIRN_CONFIG, problems);
  const feed = feedSettings(s.CAIRN_CONFIG, problems);
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

/** For commands (npm run retag): where the store is, and the compliance scope. */
export function loadCommandConfig(env: Environment = process.env): CommandConfig {
  const problems: string[] = [];
  const s = validateSettings(CommonSettings, env, problems);
  const elasticsearch = elasticsearchConfig(s, env, problems);
  const compliance = complianceScope(s.CAIRN_CONFIG, problems);
  const holds = legalHolds(s.CAIRN_CONFIG, problems);
  const integrity = integrityConfigOf(env, 'command', (path) => readFileSync(path, 'utf8'), problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return { elasticsearch, compliance, integrity, legalHolds: holds, logLevel: s.CAIRN_LOG_LEVEL };
}

function pemProblems(path: string, what: 'CERTIFICATE' | 'PRIVATE KEY', setting: string): string[] {
  const problems: string[] = [];
  if (what === 'CERTIFICATE') readCertificates(path, setting, problems);
  else readPrivateKey(path, setting, problems);
  return problems;
}

/** For apps/feed: the push feeds of CAIRN_CONFIG, their TLS files and HEC tokens checked. */
export function loadFeedAppConfig(env: Environment = process.env): FeedAppConfig {
  const problems: string[] = [];
  const s = validateSettings(FeedAppSettings, env, problems);
  const kafka = kafkaConfig(s, env, 'feed', problems);
  const feed = feedSettings(s.CAIRN_CONFIG, problems);
  if (s.CAIRN_CONFIG === undefined)
    problems.push('CAIRN_CONFIG: the feed process needs a config file with a feeds: list');
  else if (feed.pushes.length === 0 && !problems.some((p) => p.includes('feeds'))) {
    problems.push(
      `CAIRN_CONFIG (${s.CAIRN_CONFIG}): feeds: no push feeds configured, so there is nothing to run`,
    );
  }
  const hecTokens: Record<string, string> = {};
  feed.pushes.forEach((push, index) => {
    const at = `CAIRN_CONFIG (${s.CAIRN_CONFIG}): feeds[${index}]`;
    const target = push.target;
    if (target.transport === 'hec') {
      const token = target.tokenEnv ? readSecret(env, target.tokenEnv, problems) : undefined;
      if (token === undefined)
        problems.push(
          `${target.tokenEnv}: the HEC token of feed ${push.name} is not set (or ${target.tokenEnv}_FILE)`,
        );
      else hecTokens[push.name] = token;
      if (target.caFile) problems.push(...pemProblems(target.caFile, 'CERTIFICATE', `${at}.hec.caFile`));
    } else if (target.tls !== false) {
      if (target.tls.caFile)
        problems.push(...pemProblems(target.tls.caFile, 'CERTIFICATE', `${at}.syslog.tls.caFile`));
      if (target.tls.certFile)
        problems.push(...pemProblems(target.tls.certFile, 'CERTIFICATE', `${at}.syslog.tls.certFile`));
      if (target.tls.keyFile)
        problems.push(...pemProblems(target.tls.keyFile, 'PRIVATE KEY', `${at}.syslog.tls.keyFile`));
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    kafka,
    feed,
    hecTokens,
    http: { host: s.CAIRN_FEED_HOST, port: s.CAIRN_FEED_PORT },
    readinessThresholdMs: s.CAIRN_READINESS_THRESHOLD_SECONDS * 1000,
    logLevel: s.CAIRN_LOG_LEVEL,
  };
}
