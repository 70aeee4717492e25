export { API_ROLES, type ApiRole } from './api-tokens';
export type {
  ApiConfig,
  ApiToken,
  CommandConfig,
  ElasticsearchAuth,
  ElasticsearchConfig,
  FeedAppConfig,
  FlowLimits,
  IngestConfig,
  InputLimits,
  KafkaConfig,
  KafkaSasl,
  KafkaTls,
  TopicsConfig,
} from './cairn-config';
export { ConfigError, exitOnStartupFailure } from './config.error';
export type { Environment } from './environment';
export { loadApiConfig, loadCommandConfig, loadFeedAppConfig, loadIngestConfig } from './load-config';
export { loadKafkaCommandConfig, type KafkaCommandConfig } from './load-kafka-command-config';
export { loadIntakeAppConfig, type IntakeAppConfig } from './load-intake-config';
export { LOG_LEVELS, type LogLevel } from './settings';
