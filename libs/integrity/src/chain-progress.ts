import { isChainHead, type ChainHead } from './chain';

/**
 * Ingest's commits carry the chain head they end at, as offset metadata: the head after every
 * message before the committed offset. A restart or another process taking the partition reads
 * it back, so it continues the chain exactly where the committed work ended.
 */
export function encodeChainProgress(head: ChainHead): string {
  return JSON.stringify({ v: 1, seq: head.seq, hash: head.hash });
}

/** Metadata of another shape (none, another tool's) is no head: the store is asked instead. */
export function decodeChainProgress(metadata: string | null | undefined): ChainHead | undefined {
  if (!metadata) return undefined;
  try {
    const parsed = JSON.parse(metadata) as { v?: unknown; seq?: unknown; hash?: unknown };
    const head = { seq: parsed.seq, hash: parsed.hash };
    return parsed.v === 1 && isChainHead(head) ? head : undefined;
  } catch {
    return undefined;
  }
}
