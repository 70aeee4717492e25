import type { KafkaConfig } from './cairn-config';
import { ConfigError } from './config.error';
import type { Environment } from './environment';
import { PipelineSettings, type LogLevel } from './settings';
import { kafkaConfig } from './transport-config';
import { validateSettings } from './validate-settings';

/** For commands that talk to Kafka (`cairn produce`, `cairn dlq`): the brokers and Cairn's topics. */
export interface KafkaCommandConfig {
  readonly kafka: KafkaConfig;
  readonly topics: {
    readonly orchestrator: string;
    readonly runtime: string;
    readonly registry: string;
    readonly deadLetter: string;
  };
  readonly logLevel: LogLevel;
}

export function loadKafkaCommandConfig(env: Environment = process.env): KafkaCommandConfig {
  const problems: string[] = [];
  const s = validateSettings(PipelineSettings, env, problems);
  const kafka = kafkaConfig(s, env, 'cli', problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    kafka,
    topics: {
      orchestrator: s.CAIRN_TOPIC_ORCHESTRATOR,
      runtime: s.CAIRN_TOPIC_RUNTIME,
      registry: s.CAIRN_TOPIC_REGISTRY,
      deadLetter: s.CAIRN_TOPIC_DEAD_LETTER,
    },
    logLevel: s.CAIRN_LOG_LEVEL,
  };
}
