import type { AuditEventDocument } from '@cairn/event-schema';
import { eventDigest, GENESIS_HASH, linkHash } from './event-digest';

export type ChainLink = NonNullable<AuditEventDocument['cairn']['integrity']>;

/** A chain's last link: seq 0 and the genesis hash before anything was stored. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

export const GENESIS: ChainHead = { seq: 0, hash: GENESIS_HASH };

/** One chain per raw topic partition: positions come from the source, so a replay lands on the same chain. */
export function chainOf(topic: string, partition: number): string {
  return `${topic}/${partition}`;
}

export const ACCESS_CHAIN_PREFIX = 'cairn.access/';

/**
 * The chain of one API process's access records: named by host and start, so processes never
 * share one (several APIs run side by side; a restart starts afresh, and a stop closes it).
 */
export function accessChainOf(host: string, startedAt: Date, nonce: string): string {
  const started = startedAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${ACCESS_CHAIN_PREFIX}${host.replace(/[^A-Za-z0-9.-]/g, '-')}/${started}-${nonce}`;
}

/** The link a document gets after `head` in `chain` (its fingerprint, when already computed, saves a walk). */
export function nextLink(
  chain: string,
  head: ChainHead,
  document: AuditEventDocument,
  fingerprint?: string,
): ChainLink {
  return {
    chain,
    seq: head.seq + 1,
    prev: head.hash,
    hash: linkHash(head.hash, eventDigest(document, fingerprint)),
  };
}

export function withLink(document: AuditEventDocument, link: ChainLink): AuditEventDocument {
  return { ...document, cairn: { ...document.cairn, integrity: link } };
}

export function sameLink(a: ChainLink | undefined, b: ChainLink): boolean {
  return a !== undefined && a.chain === b.chain && a.seq === b.seq && a.prev === b.prev && a.hash === b.hash;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** A head read back from somewhere Cairn does not control alone (commit metadata, the store). */
export function isChainHead(value: unknown): value is ChainHead {
  if (typeof value !== 'object' || value === null) return false;
  const { seq, hash } = value as { seq?: unknown; hash?: unknown };
  return (
    typeof seq === 'number' &&
    Number.isSafeInteger(seq) &&
    seq >= 0 &&
    typeof hash === 'string' &&
    HEX64.test(hash)
  );
}
