import { ApiErrorCode, apiError, countResults } from '@cairn/api-policy';
import { InvalidCursorError, type EventSearchResult } from '@cairn/elasticsearch-store';
import { toAuditEvent } from './audit-event.mapper';
import type { EventConnection } from './event-connection.model';

export const badInput = (message: string) => apiError(ApiErrorCode.BadUserInput, message);

export function toConnection(result: EventSearchResult, request: unknown): EventConnection {
  const edges = result.hits.map((hit) => ({ cursor: hit.cursor, node: toAuditEvent(hit.document) }));
  countResults(request, edges.length);
  return {
    totalCount: result.totalCount,
    edges,
    pageInfo: { hasNextPage: result.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

/** A cursor this API did not issue is the caller's mistake, said so, never passed on. */
export async function withCursorCheck<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvalidCursorError) throw badInput(`after: ${error.message}`);
    throw error;
  }
}
