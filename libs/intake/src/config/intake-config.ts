import {
  ConfigError,
  httpTlsConfig,
  kafkaConfig,
  readSecret,
  validateSettings,
  type HttpTls,
  type Environment,
  type KafkaConfig,
  type LogLevel,
} from '@cairn/config';
import { parseIntakeCredentials, type IntakeCredential } from '../intake-credentials';
import { IntakeSettings } from './intake-settings';

export interface IntakeAppConfig {
  readonly kafka: KafkaConfig;
  /** Plain HTTP without `tls` (loopback, or CAIRN_INTAKE_TLS=off); HTTPS with it. */
  readonly http: { readonly host: string; readonly port: number; readonly tls?: HttpTls };
  readonly credentials: readonly IntakeCredential[];
  readonly topics: { readonly orchestrator: string; readonly runtime: string; readonly registry: string };
  readonly maxBodyBytes: number;
  readonly rateLimitPerMinute: number;
  readonly kafkaTimeoutMs: number;
  readonly readinessThresholdMs: number;
  readonly logLevel: LogLevel;
}

/**
 * The intake's section of the configuration, owned here rather than in @cairn/config, which knows
 * no feature. For apps/intake: senders' credentials (CAIRN_INTAKE_TOKENS), limits, TLS and the raw topics. */
export function loadIntakeAppConfig(env: Environment = process.env): IntakeAppConfig {
  const problems: string[] = [];
  const s = validateSettings(IntakeSettings, env, problems);
  const kafka = kafkaConfig(s, env, 'intake', problems);
  const tls = httpTlsConfig(
    {
      prefix: 'CAIRN_INTAKE',
      host: s.CAIRN_INTAKE_HOST,
      mode: s.CAIRN_INTAKE_TLS,
      certFile: s.CAIRN_INTAKE_TLS_CERT_FILE,
      keyFile: s.CAIRN_INTAKE_TLS_KEY_FILE,
      clientCaFile: s.CAIRN_INTAKE_TLS_CLIENT_CA_FILE,
    },
    problems,
  );
  const json = readSecret(env, 'CAIRN_INTAKE_TOKENS', problems);
  const credentials = json === undefined ? [] : parseIntakeCredentials(json, 'CAIRN_INTAKE_TOKENS', problems);
  if (json === undefined && !problems.some((p) => p.startsWith('CAIRN_INTAKE_TOKENS'))) {
    problems.push(
      'CAIRN_INTAKE_TOKENS: no sender credentials configured, so every request would be refused; create one ' +
        'with `npm run token -- intake <name> <source> <cluster|registry>` and set CAIRN_INTAKE_TOKENS or CAIRN_INTAKE_TOKENS_FILE',
    );
  }
  credentials.forEach((credential, index) => {
    if (credential.subject && !tls?.clientCa)
      problems.push(
        `CAIRN_INTAKE_TOKENS[${index}].subject: client certificates need HTTPS with CAIRN_INTAKE_TLS_CLIENT_CA_FILE`,
      );
  });
  if (s.CAIRN_INTAKE_MAX_BODY_BYTES > s.CAIRN_MAX_MESSAGE_BYTES) {
    problems.push(
      `CAIRN_INTAKE_MAX_BODY_BYTES: ${s.CAIRN_INTAKE_MAX_BODY_BYTES} exceeds CAIRN_MAX_MESSAGE_BYTES ` +
        `(${s.CAIRN_MAX_MESSAGE_BYTES}), so ingest would dead-letter batches the intake accepted`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    kafka,
    http: { host: s.CAIRN_INTAKE_HOST, port: s.CAIRN_INTAKE_PORT, ...(tls && { tls }) },
    credentials,
    topics: {
      orchestrator: s.CAIRN_TOPIC_ORCHESTRATOR,
      runtime: s.CAIRN_TOPIC_RUNTIME,
      registry: s.CAIRN_TOPIC_REGISTRY,
    },
    maxBodyBytes: s.CAIRN_INTAKE_MAX_BODY_BYTES,
    rateLimitPerMinute: s.CAIRN_INTAKE_RATE_LIMIT_PER_MINUTE,
    kafkaTimeoutMs: s.CAIRN_INTAKE_KAFKA_TIMEOUT_MS,
    readinessThresholdMs: s.CAIRN_READINESS_THRESHOLD_SECONDS * 1000,
    logLevel: s.CAIRN_LOG_LEVEL,
  };
}
