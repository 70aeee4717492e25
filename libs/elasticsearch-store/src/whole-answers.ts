/**
 * Answers read from every shard, or none. By default Elasticsearch answers a search from the
 * shards it can reach and reports the rest only in `_shards.failed`; while a node fails over, a
 * chain head, a checkpoint, a retention decision or a page of evidence read that way would be
 * wrong without saying so (a chain head from last month's index alone forked a chain once on the
 * local cluster). So every search Cairn makes asks for the whole answer, and a refresh or a
 * multi-get that did not reach every copy it needed is an error to retry, not an empty result.
 */
export const WHOLE_ANSWER = { allow_partial_search_results: false } as const;

/** Thrown where part of the store did not answer: callers retry, or explain it as unavailable. */
export class IncompleteAnswerError extends Error {
  /** Read by searchFailureOf like an Elasticsearch status: the store is (partly) unavailable. */
  readonly meta = { statusCode: 503 };

  constructor(what: string, reason: string) {
    super(`${what}: ${reason}`);
    this.name = 'IncompleteAnswerError';
  }
}

/** Throws unless the refresh reached every started shard copy (unassigned copies are not failures). */
export function assertWholeRefresh(response: { _shards?: { failed?: number } }, what: string): void {
  const failed = response._shards?.failed ?? 0;
  if (failed > 0) throw new IncompleteAnswerError(what, `the refresh failed on ${failed} shard copies`);
}

type MgetDoc<T> = { _id: string; _index: string; found?: boolean; _source?: T; error?: unknown };

/**
 * The documents a multi-get found. A document whose shard could not be read is not "missing":
 * that would pass for a document never stored, so the whole read fails instead.
 */
export function foundDocuments<T>(docs: readonly unknown[], what: string): MgetDoc<T>[] {
  const found: MgetDoc<T>[] = [];
  for (const entry of docs as MgetDoc<T>[]) {
    if (entry.error !== undefined) {
      const reason = (entry.error as { reason?: string }).reason ?? JSON.stringify(entry.error);
      throw new IncompleteAnswerError(what, `${entry._id} could not be read: ${reason}`);
    }
    if (entry.found && entry._source !== undefined) found.push(entry);
  }
  return found;
}
