export { API_ROLES, type ApiRole } from './api-tokens';
export type {
  ApiConfig,
  ApiTls,
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
export { LOG_LEVELS, PipelineSettings, type LogLevel } from './settings';
// Building blocks for a feature lib that owns its own section (libs/intake's).
export { readSecret } from './environment';
export { httpTlsConfig, kafkaConfig } from './transport-config';
export { validateSettings } from './validate-settings';
