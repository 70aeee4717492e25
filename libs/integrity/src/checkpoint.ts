import { createPublicKey, hash, sign, verify, type KeyObject } from 'node:crypto';
import type { ChainHead } from './chain';

/**
 * What a checkpoint states, signed: chain `chain` had `seq` links ending in `head` at time `at`,
 * and the checkpoint before it on this chain was `previous` (its digest; null for the first).
 */
export interface CheckpointStatement {
  readonly v: 1;
  readonly chain: string;
  readonly seq: number;
  readonly head: string;
  readonly at: string;
  readonly previous: string | null;
  /** Which signing key: the first 16 hex digits of SHA-256 over its public key (SPKI DER). */
  readonly key: string;
  /**
   * The writer ended this chain here and will never extend it (an API process's access records
   * at its stop): no link may follow, and the time after it is no gap.
   */
  readonly closed?: true;
}

export interface SignedCheckpoint extends CheckpointStatement {
  /** SHA-256 of the signed bytes, hex: the checkpoint's id, and what the next one names as previous. */
  readonly digest: string;
  /** Ed25519 over the signed bytes, base64. */
  readonly signature: string;
}

/**
 * The bytes signed: the statement's fields in a fixed order as JSON (every value is a plain
 * string, number or true). `closed` is there only when set, so checkpoints signed before it
 * existed keep their bytes and their signatures.
 */
export function signedBytes(statement: CheckpointStatement): Buffer {
  const { v, chain, seq, head, at, previous, key, closed } = statement;
  const fields = closed
    ? { v, chain, seq, head, at, previous, key, closed }
    : { v, chain, seq, head, at, previous, key };
  return Buffer.from(JSON.stringify(fields), 'utf8');
}

export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return hash('sha256', publicKey.export({ type: 'spki', format: 'der' }), 'hex').slice(0, 16);
}

export interface SigningKey {
  readonly id: string;
  readonly privateKey: KeyObject;
}

export function signCheckpoint(
  key: SigningKey,
  chain: string,
  head: ChainHead,
  at: Date,
  previous: string | null,
  closed = false,
): SignedCheckpoint {
  const statement: CheckpointStatement = {
    v: 1,
    chain,
    seq: head.seq,
    head: head.hash,
    at: at.toISOString(),
    previous,
    key: key.id,
    ...(closed && { closed: true as const }),
  };
  const bytes = signedBytes(statement);
  return {
    ...statement,
    digest: hash('sha256', bytes, 'hex'),
    signature: sign(null, bytes, key.privateKey).toString('base64'),
  };
}

export type SignatureCheck = 'VALID' | 'UNKNOWN_KEY' | 'INVALID';

/**
 * Whether a checkpoint was signed by one of the trusted keys as it reads now. The key comes from
 * the verifier's own list, never from the checkpoint; a digest that does not match is invalid too.
 */
export function checkSignature(
  checkpoint: SignedCheckpoint,
  trusted: ReadonlyMap<string, KeyObject>,
): SignatureCheck {
  return verifySignedBytes(signedBytes(checkpoint), checkpoint, trusted);
}

/** The signature check of any signed statement, from the bytes it states now. */
export function verifySignedBytes(
  bytes: Buffer,
  signed: { readonly key: string; readonly digest: string; readonly signature: string },
  trusted: ReadonlyMap<string, KeyObject>,
): SignatureCheck {
  const key = trusted.get(signed.key);
  if (!key) return 'UNKNOWN_KEY';
  if (hash('sha256', bytes, 'hex') !== signed.digest) return 'INVALID';
  try {
    return verify(null, bytes, key, Buffer.from(signed.signature, 'base64')) ? 'VALID' : 'INVALID';
  } catch {
    return 'INVALID';
  }
}

/** A checkpoint read from the index or the log, checked for shape before anything trusts its fields. */
export function isSignedCheckpoint(value: unknown): value is SignedCheckpoint {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return (
    c.v === 1 &&
    typeof c.chain === 'string' &&
    typeof c.seq === 'number' &&
    Number.isSafeInteger(c.seq) &&
    typeof c.head === 'string' &&
    typeof c.at === 'string' &&
    !Number.isNaN(Date.parse(c.at)) &&
    (c.previous === null || typeof c.previous === 'string') &&
    typeof c.key === 'string' &&
    (c.closed === undefined || c.closed === true) &&
    typeof c.digest === 'string' &&
    typeof c.signature === 'string'
  );
}
