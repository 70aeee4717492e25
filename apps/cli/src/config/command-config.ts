import { readFileSync } from 'node:fs';
import { DEFAULT_SCOPE, parseScopeSection, type ComplianceScope } from '@cairn/compliance';
import {
  CommonSettings,
  ConfigError,
  ConfigFile,
  elasticsearchConfig,
  validateSettings,
  type ElasticsearchConfig,
  type Environment,
  type LogLevel,
} from '@cairn/config';
import { integrityConfigOf, type IntegrityConfig } from '@cairn/integrity';
import { parseLegalHolds, type LegalHold } from '@cairn/retention';

export interface CommandConfig {
  readonly elasticsearch: ElasticsearchConfig;
  readonly integrity: IntegrityConfig;
  readonly compliance: ComplianceScope;
  /** CAIRN_CONFIG's legalHolds: events retention must never delete. */
  readonly legalHolds: readonly LegalHold[];
  readonly logLevel: LogLevel;
}

/** For commands (npm run retag): where the store is, and the compliance scope. */
export function loadCommandConfig(env: Environment = process.env): CommandConfig {
  const problems: string[] = [];
  const s = validateSettings(CommonSettings, env, problems);
  const elasticsearch = elasticsearchConfig(s, env, problems);
  const file = ConfigFile.read(s.CAIRN_CONFIG, problems);
  const compliance = file.section(parseScopeSection, DEFAULT_SCOPE, problems);
  const holds = file.section(parseLegalHolds, [], problems);
  const integrity = integrityConfigOf(env, 'command', (path) => readFileSync(path, 'utf8'), problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return { elasticsearch, compliance, integrity, legalHolds: holds, logLevel: s.CAIRN_LOG_LEVEL };
}
