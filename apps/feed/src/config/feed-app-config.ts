import {
  ConfigError,
  ConfigFile,
  kafkaConfig,
  readCertificates,
  readPrivateKey,
  readSecret,
  validateSettings,
  type Environment,
  type KafkaConfig,
  type LogLevel,
} from '@cairn/config';
import { DEFAULT_FEED, parseFeedDocument, type FeedSettings } from '@cairn/feed';
import { FeedAppSettings } from './feed-app-settings';

export interface FeedAppConfig {
  readonly kafka: KafkaConfig;
  readonly feed: FeedSettings;
  /** Each HEC feed's token, by feed name, read from the variable its tokenEnv names (or _FILE). */
  readonly hecTokens: Readonly<Record<string, string>>;
  readonly http: { readonly host: string; readonly port: number };
  readonly readinessThresholdMs: number;
  readonly logLevel: LogLevel;
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
  const feed = ConfigFile.read(s.CAIRN_CONFIG, problems).section(parseFeedDocument, DEFAULT_FEED, problems);
  if (s.CAIRN_CONFIG === undefined)
    problems.push('CAIRN_CONFIG: the feed process needs a config file with a feeds: list');
  // A file that could not be read, or a feeds: list with problems, is already named; an empty list is not.
  else if (feed.pushes.length === 0 && !problems.some((p) => p.startsWith('CAIRN_CONFIG'))) {
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
