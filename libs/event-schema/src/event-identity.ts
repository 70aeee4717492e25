import { createHash, hash } from 'node:crypto';
import type { Product } from './audit-event';

/**
 * The event id: SHA-256 over the product and the parts of the source's native identity, joined
 * with a separator no part can contain, so distinct identities never collide by concatenation.
 */
export function deterministicEventId(product: Product, identity: readonly string[]): string {
  // One-shot hashing: a Hash object per event was a visible share of normalizing.
  return hash('sha256', `${product}\u0000${identity.join('\u0000')}`, 'hex');
}

/** Above this size event.original is cut; the SHA-256 of the whole raw event is kept beside it. */
export const ORIGINAL_SIZE_CAP_BYTES = 256 * 1024;

export interface OriginalParts {
  original: string;
  size: number;
  truncated: boolean;
  /** Only when cut: the hash then stands for the bytes event.original no longer holds. */
  sha256?: string;
}

export function originalParts(raw: string, cap = ORIGINAL_SIZE_CAP_BYTES): OriginalParts {
  const size = Buffer.byteLength(raw, 'utf8');
  if (size <= cap) return { original: raw, size, truncated: false };
  const bytes = Buffer.from(raw, 'utf8');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  // Cutting inside a multi-byte character would leave invalid UTF-8; drop the partial character.
  const cut = bytes
    .subarray(0, cap)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  return { original: cut, size, truncated: true, sha256 };
}
