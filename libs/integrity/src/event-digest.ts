import { hash } from 'node:crypto';
import { canonicalEncoding, type AuditEventDocument, type LeftOutFields } from '@cairn/event-schema';

/**
 * Left out of the canonical event, because Cairn rewrites them after storing: cairn.compliance
 * (retag re-tags stored events when the catalog or scope changes) and cairn.integrity (the link
 * itself, settled after the store answers). Every other field, event.original and event.ingested
 * included, is covered.
 */
export const OUTSIDE_THE_HASH: LeftOutFields = { cairn: new Set(['compliance', 'integrity']) };

/** The hash before the first link of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** SHA-256 of the event's canonical encoding (see canonicalEncoding), hex. */
export function eventDigest(document: AuditEventDocument): string {
  return hash('sha256', canonicalEncoding(document, OUTSIDE_THE_HASH), 'hex');
}

/** SHA-256(prev ‖ digest), both taken as their 32 raw bytes; hex. */
export function linkHash(prev: string, digest: string): string {
  return hash('sha256', Buffer.from(prev + digest, 'hex'), 'hex');
}
