import type { KafkaConfig } from '@cairn/config';
import { firstLine, tlsRefusalOf } from '@cairn/transport-security';
import { createKafka } from './kafka-client';
import { kafkaCauses as causes } from './kafka-error-causes';

/**
 * Whether a failure to reach Kafka is a refusal of Cairn's own settings (credentials, trust, client
 * certificate), which waiting will not cure, and if so which settings to look at. Anything else
 * (a broker away, a timeout) is transient and answers undefined.
 */
export function kafkaRefusalOf(error: unknown): string | undefined {
  // Only kafkajs's own errors: the same TLS words from another client are not about Kafka.
  if (!causes(error).some((cause) => cause instanceof Error && cause.name.startsWith('KafkaJS')))
    return undefined;
  const chain = messagesOf(error);
  const text = chain.join(' | ');
  if (
    chain.some((_, index) => nameAt(error, index) === 'KafkaJSSASLAuthenticationError') ||
    /SASL .*authentication failed/i.test(text)
  )
    return `Kafka refused the SASL credentials; check KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (${firstLine(text)})`;
  return tlsRefusalOf(text, {
    trust: 'KAFKA_TLS_CA_FILE',
    name: 'KAFKA_BROKERS or KAFKA_TLS_SERVER_NAME',
    clientCertificate: 'KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE',
    plainPort: 'KAFKA_TLS or KAFKA_BROKERS',
    server: 'Kafka',
  });
}

function messagesOf(error: unknown): string[] {
  return causes(error).map((cause) => (cause instanceof Error ? cause.message : String(cause)));
}

function nameAt(error: unknown, index: number): string | undefined {
  const cause = causes(error)[index];
  return cause instanceof Error ? cause.name : undefined;
}

/**
 * One connection attempt without retries, so a refusal is known in seconds: kafkajs retries a TLS
 * handshake failure like an outage, for minutes, before saying anything. Undefined when Kafka
 * answered, or when it is only away (the caller's retry waits that out).
 */
export async function kafkaRefusalAtConnect(config: KafkaConfig): Promise<string | undefined> {
  const admin = createKafka(config, undefined, { retries: 0 }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    return undefined;
  } catch (error) {
    return kafkaRefusalOf(error);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
