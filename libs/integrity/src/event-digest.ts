import { hash } from 'node:crypto';
import {
  contentFingerprint,
  remainderEncoding,
  type AuditEventDocument,
  type LeftOutFields,
} from '@cairn/event-schema';

/**
 * Left out of the canonical event, because Cairn rewrites them after storing: cairn.compliance
 * (retag re-tags stored events when the catalog or scope changes) and cairn.integrity (the link
 * itself, settled after the store answers). Every other field, event.original and event.ingested
 * included, is covered.
 */
export const OUTSIDE_THE_HASH: LeftOutFields = { cairn: new Set(['compliance', 'integrity']) };

/** The remainder, event.original aside: the one large field is appended last, as it is. */
const REMAINDER_SKIPS: LeftOutFields = { ...OUTSIDE_THE_HASH, event: new Set(['original']) };

/** The hash before the first link of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * SHA-256 over the canonical event, hex: `v1:` + the content fingerprint (SHA-256 of the canonical
 * encoding of every field but the dates, the original, the position and the tags) + `:` + the
 * canonical encoding of those left-out fields but the tags, the link and event.original + `:` +
 * event.original itself, length-prefixed as the encoding writes strings (`z` without one). Together: every field but cairn.compliance
 * and cairn.integrity. Ingest has the fingerprint already (the identity claim needs it), so the
 * chain walks each document only once more, for its few remaining fields.
 */
export function eventDigest(
  document: AuditEventDocument,
  fingerprint = contentFingerprint(document),
): string {
  const rest = remainderEncoding(document, REMAINDER_SKIPS);
  const original = document.event?.original;
  // The original last, length-prefixed, so nothing after it needs delimiting.
  const tail = original === undefined ? 'z' : `s${original.length}:${original}`;
  return hash('sha256', `v1:${fingerprint}:${rest}:${tail}`, 'hex');
}

/** SHA-256(prev ‖ digest), both as their 64 lowercase hex digits; hex. */
export function linkHash(prev: string, digest: string): string {
  return hash('sha256', prev + digest, 'hex');
}
