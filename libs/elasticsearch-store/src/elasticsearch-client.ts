import { Client, errors, type ClientOptions } from '@elastic/elasticsearch';
import type { ElasticsearchConfig } from '@cairn/config';
import type { IndicesCreateRequest } from '@elastic/elasticsearch/lib/api/types';

export function createElasticsearchClient(config: ElasticsearchConfig): Client {
  const options: ClientOptions = {
    nodes: [...config.nodes],
    requestTimeout: config.requestTimeoutMs,
    // Retries are the caller's decision: the bulk writer retries per item with backoff.
    maxRetries: 0,
    compression: false,
  };
  if (config.auth) options.auth = config.auth;
  const client = config.clientCertificate;
  if (config.caCertificate || client)
    options.tls = {
      rejectUnauthorized: true,
      ...(config.caCertificate && { ca: config.caCertificate }),
      ...(client && { cert: client.cert, key: client.key }),
    };
  if (config.caFingerprint) options.caFingerprint = config.caFingerprint;
  return new Client(options);
}

/**
 * Reachable means the cluster answers its health API. `GET /` is not used: a minimal node (the
 * local stack's) does not serve it.
 */
export async function elasticsearchReachable(client: Client, timeoutMs = 2000): Promise<void> {
  await client.cluster.health({ timeout: `${timeoutMs}ms` }, { requestTimeout: timeoutMs, maxRetries: 0 });
}

/** The HTTP status of a failed Elasticsearch request (the client's ResponseError), if it had one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { meta?: { statusCode?: unknown } } | null)?.meta?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** How a failed search should be explained to the caller; undefined for a genuine fault. */
export type SearchFailure = 'timeout' | 'unavailable';

export function searchFailureOf(error: unknown): SearchFailure | undefined {
  if (error instanceof errors.TimeoutError) return 'timeout';
  if (error instanceof errors.ConnectionError || error instanceof errors.NoLivingConnectionsError) {
    return 'unavailable';
  }
  // 429: search queue full or a circuit breaker tripped; 503: no shard could answer. Both pass.
  const status = statusOf(error);
  if (status === 429 || status === 503) return 'unavailable';
  return undefined;
}

/** Creates an index unless it exists; another process creating it at the same moment is fine. */
export async function createIndexIfMissing(client: Client, request: IndicesCreateRequest): Promise<void> {
  if (await client.indices.exists({ index: request.index })) return;
  try {
    await client.indices.create(request);
  } catch (error) {
    const type = (error as { body?: { error?: { type?: string } } }).body?.error?.type;
    if (statusOf(error) !== 400 || type !== 'resource_already_exists_exception') throw error;
  }
}
