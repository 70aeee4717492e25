import { constants } from 'node:buffer';
import type { Readable } from 'node:stream';
import { unzipSync } from 'node:zlib';
import { errors, type Client } from '@elastic/elasticsearch';
import type { SearchRequest } from '@elastic/elasticsearch/lib/api/types';
import {
  forEachElement,
  forEachMember,
  objectMembers,
  plainKeyAt,
  valueEnd,
  type JsonObject,
} from '@cairn/json-bytes';

/**
 * One hit of a search, its `_source` left as the bytes Elasticsearch sent: a caller that hands the
 * stored document on as it is (the ECS export) copies them, and only a caller that needs the
 * fields pays for parsing them.
 */
export class StoredHit {
  private parsed?: unknown;

  constructor(
    /** The whole answer the hit came in. */
    readonly body: Buffer,
    /** `_source` and its members, found while reading the answer (so they are scanned once). */
    readonly source: JsonObject,
    readonly sort: readonly unknown[],
  ) {}

  get sourceStart(): number {
    return this.source.start;
  }

  get sourceEnd(): number {
    return this.source.end;
  }

  document<T>(): T {
    this.parsed ??= JSON.parse(this.body.toString('utf8', this.sourceStart, this.sourceEnd));
    return this.parsed as T;
  }
}

/** An answer that cannot be read as a search's (a proxy's page, a cut connection). */
export class UnreadableSearchAnswerError extends Error {
  constructor(reason: string) {
    super(`Elasticsearch's search answer could not be read: ${reason}`);
    this.name = 'UnreadableSearchAnswerError';
  }
}

/**
 * The hits of a search answer, with their sort values, in one pass over its bytes. Shards that
 * failed to answer make the whole answer unusable: a page missing their events would let a
 * cursor pass over them.
 */
export function storedHitsOf(body: Buffer): StoredHit[] {
  const top = body.indexOf(0x7b);
  if (top < 0) throw new UnreadableSearchAnswerError('it is not a JSON object');
  let hits: StoredHit[] | undefined;
  forEachMember(body, top, (keyStart, keyEnd, valueStart) => {
    const key = plainKeyAt(body, keyStart, keyEnd);
    if (key === '_shards') {
      const end = valueEnd(body, valueStart);
      const { failed } = JSON.parse(body.toString('utf8', valueStart, end)) as { failed?: number };
      if (failed) throw new UnreadableSearchAnswerError(`${failed} shards failed to answer`);
      return end;
    }
    if (key !== 'hits') return undefined;
    return forEachMember(body, valueStart, (innerStart, innerEnd, hitsStart) => {
      if (plainKeyAt(body, innerStart, innerEnd) !== 'hits') return undefined;
      hits = [];
      return forEachElement(body, hitsStart, (hitStart) => {
        const [hit, end] = hitAt(body, hitStart);
        hits!.push(hit);
        return end;
      });
    });
  });
  if (!hits) throw new UnreadableSearchAnswerError('it has no "hits"');
  return hits;
}

function hitAt(body: Buffer, at: number): [StoredHit, number] {
  let source: JsonObject | undefined;
  let sort: unknown[] = [];
  const end = forEachMember(body, at, (keyStart, keyEnd, valueStart) => {
    const key = plainKeyAt(body, keyStart, keyEnd);
    if (key === '_source') {
      source = objectMembers(body, valueStart);
      return source.end;
    }
    if (key !== 'sort') return undefined;
    const sortEnd = valueEnd(body, valueStart);
    sort = JSON.parse(body.toString('utf8', valueStart, sortEnd)) as unknown[];
    return sortEnd;
  });
  if (!source) throw new UnreadableSearchAnswerError('a hit has no "_source"');
  return [new StoredHit(body, source, sort), end];
}

/**
 * A search whose hits keep their `_source` as bytes (see StoredHit). Errors are the client's own
 * (a ResponseError carrying Elasticsearch's status and reason), so callers explain them as any
 * other search's.
 */
export async function searchStoredHits(
  client: Client,
  request: SearchRequest,
  options: { requestTimeout: number; maxBytes?: number },
): Promise<StoredHit[]> {
  const result = await client.search(request, {
    requestTimeout: options.requestTimeout,
    asStream: true,
    meta: true,
  });
  const maxBytes = options.maxBytes ?? constants.MAX_STRING_LENGTH;
  let body = await readAll(result.body as unknown as Readable, maxBytes);
  const encoding = String(result.headers['content-encoding'] ?? '').toLowerCase();
  if (encoding.includes('gzip') || encoding.includes('deflate')) body = unzipSync(body);
  if (result.statusCode === undefined || result.statusCode === null || result.statusCode >= 400) {
    let reason: unknown = body.toString('utf8');
    try {
      reason = JSON.parse(reason as string);
    } catch {
      // Not JSON (a proxy's page): the text itself is the reason.
    }
    throw new errors.ResponseError({ ...result, body: reason });
  }
  return storedHitsOf(body);
}

async function readAll(stream: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    total += bytes.length;
    if (total > maxBytes) {
      stream.destroy();
      throw new errors.RequestAbortedError(`the search answer is larger than ${maxBytes} bytes`);
    }
    chunks.push(bytes);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}
