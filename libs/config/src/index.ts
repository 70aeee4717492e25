// What every process's configuration is built from; each feature's own section (compliance
// scope, feed, legal holds, integrity, intake, API tokens) is parsed by its library, and each app
// composes its configuration in apps/<app>/src/config from these and those.
export type {
  ElasticsearchAuth,
  ElasticsearchConfig,
  HttpTls,
  KafkaConfig,
  KafkaSasl,
  KafkaTls,
} from './cairn-config';
export { ConfigError, exitOnStartupFailure } from './config.error';
export { ConfigFile, type SectionParser } from './config-file';
export { readSecret, type Environment } from './environment';
export { loadKafkaCommandConfig, type KafkaCommandConfig } from './load-kafka-command-config';
export { CommonSettings, LOG_LEVELS, PipelineSettings, type LogLevel } from './settings';
export { readCertificates, readPrivateKey } from './tls-files';
export { elasticsearchConfig, httpTlsConfig, kafkaConfig } from './transport-config';
export { validateSettings } from './validate-settings';
