import { gunzipSync } from 'node:zlib';
import { IntakeError, IntakeErrorCode } from './intake-error';

/**
 * Cloud delivery services wrap what they deliver: Amazon Data Firehose's HTTP endpoint delivery
 * (`{requestId, timestamp, records: [{data: base64}]}`, each record here a CloudWatch Logs
 * subscription payload, gzip-compressed as CloudWatch Logs sends it) and Google Cloud Pub/Sub push
 * (`{message: {data: base64, messageId, …}, subscription}`, data a Cloud Logging LogEntry). The
 * wrapper is transport, not evidence: the intake unwraps it and writes each payload as the raw
 * message the managed-Kubernetes normalizer reads, exactly as the service was given it.
 */
export type DeliveryEnvelope = 'firehose' | 'pubsub';

export interface Unwrapped {
  readonly payloads: Buffer[];
  /** Firehose wants its request id back in every answer. */
  readonly requestId?: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function malformed(message: string): IntakeError {
  return new IntakeError(IntakeErrorCode.MalformedBody, message);
}

function decoded(data: unknown, path: string, maxBytes: number): Buffer {
  if (typeof data !== 'string' || data.length % 4 !== 0 || !BASE64.test(data))
    throw malformed(`${path} must be base64 text`);
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new IntakeError(
        IntakeErrorCode.PayloadTooLarge,
        `${path} is larger than ${maxBytes} bytes un-gzipped`,
      );
    throw malformed(`${path} is not valid gzip: ${(error as Error).message}`);
  }
}

function parsedObject(body: Buffer, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw malformed(`a ${what} delivery must be JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw malformed(`a ${what} delivery must be a JSON object`);
  return value as Record<string, unknown>;
}

export function unwrapDelivery(envelope: DeliveryEnvelope, body: Buffer, maxBytes: number): Unwrapped {
  const parsed = parsedObject(body, envelope === 'firehose' ? 'Firehose' : 'Pub/Sub push');
  if (envelope === 'pubsub') {
    const message = parsed.message as Record<string, unknown> | undefined;
    if (message === null || typeof message !== 'object')
      throw malformed('a Pub/Sub push delivery has no message');
    return { payloads: [decoded(message.data, 'message.data', maxBytes)] };
  }
  const requestId = typeof parsed.requestId === 'string' ? parsed.requestId : undefined;
  if (!Array.isArray(parsed.records) || parsed.records.length === 0)
    throw malformed('a Firehose delivery must hold a non-empty records array');
  let total = 0;
  const payloads = parsed.records.map((record: unknown, index) => {
    const data = (record as { data?: unknown } | null)?.data;
    const payload = decoded(data, `records[${index}].data`, maxBytes);
    total += payload.length;
    if (total > maxBytes)
      throw new IntakeError(
        IntakeErrorCode.PayloadTooLarge,
        `the records are larger than ${maxBytes} bytes un-gzipped`,
      );
    return payload;
  });
  return { payloads, ...(requestId !== undefined && { requestId }) };
}
