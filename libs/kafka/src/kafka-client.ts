import { Kafka, logLevel as KafkaLogLevel, type Admin, type LogEntry, type SASLOptions } from 'kafkajs';
import type { KafkaConfig, KafkaSasl, LogLevel } from '@cairn/config';

export interface KafkaLogSink {
  log(level: LogLevel, message: string, fields: Record<string, unknown>): void;
}

const LEVELS: Record<number, LogLevel> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

function saslOptions({ mechanism, username, password }: KafkaSasl): SASLOptions {
  switch (mechanism) {
    case 'plain':
      return { mechanism, username, password };
    case 'scram-sha-256':
      return { mechanism, username, password };
    case 'scram-sha-512':
      return { mechanism, username, password };
  }
}

export function createKafka(
  config: KafkaConfig,
  sink?: KafkaLogSink,
  retry: { retries: number } = { retries: 8 },
): Kafka {
  const tls = config.tls;
  return new Kafka({
    clientId: config.clientId,
    brokers: [...config.brokers],
    ...(tls && {
      ssl: {
        rejectUnauthorized: true,
        ...(tls.ca && { ca: tls.ca }),
        ...(tls.cert && tls.key && { cert: tls.cert, key: tls.key }),
        ...(tls.serverName && { servername: tls.serverName }),
      },
    }),
    ...(config.sasl && { sasl: saslOptions(config.sasl) }),
    connectionTimeout: 3000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 300, retries: retry.retries },
    logLevel: KafkaLogLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      // kafkajs repeats its own timestamp and logger name; the log line already has both.
      const { message, timestamp: _timestamp, logger: _logger, ...fields } = entry.log;
      sink?.log(LEVELS[entry.level] ?? 'info', `kafka ${entry.namespace}: ${message}`, fields);
    },
  });
}

/**
 * Reachable means the cluster answers a metadata request within the timeout. Connecting is part
 * of the check (a no-op once connected), so a process that started while Kafka was away turns
 * ready by itself when Kafka comes back.
 */
export async function kafkaReachable(admin: Admin, timeoutMs = 2000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Kafka within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([admin.connect().then(() => admin.describeCluster()), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface TopicSettings {
  readonly partitions: number;
  /** Kafka's max.message.bytes for the topic; the broker default (1 MiB) when absent. */
  readonly maxMessageBytes?: number;
  /** Replicas per partition; the broker's default.replication.factor when absent. */
  readonly replicationFactor?: number;
  /** The topic's min.insync.replicas; the broker's default when absent. */
  readonly minInsyncReplicas?: number;
}

/** Creates the topics that do not exist yet; existing topics are left exactly as they are. */
export async function ensureTopics(
  admin: Admin,
  topics: readonly string[],
  settings: TopicSettings,
): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = [...new Set(topics)].filter((topic) => !existing.has(topic));
  if (missing.length === 0) return [];
  const configEntries = [
    ...(settings.maxMessageBytes === undefined
      ? []
      : [{ name: 'max.message.bytes', value: String(settings.maxMessageBytes) }]),
    ...(settings.minInsyncReplicas === undefined
      ? []
      : [{ name: 'min.insync.replicas', value: String(settings.minInsyncReplicas) }]),
  ];
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((topic) => ({
      topic,
      numPartitions: settings.partitions,
      replicationFactor: settings.replicationFactor ?? -1,
      configEntries,
    })),
  });
  return missing;
}
