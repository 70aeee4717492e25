import { hash, sign, type KeyObject } from 'node:crypto';
import { verifySignedBytes, type SignatureCheck, type SigningKey } from './checkpoint';

/**
 * What a retention statement states, signed before a monthly index is deleted: positions of
 * `chain` up to `through` may be gone with `index`, by retention. A verification then counts those
 * it does not find as removed, not missing; everything still stored is verified as before.
 */
export interface RetentionStatement {
  readonly v: 1;
  readonly chain: string;
  /** The highest position of this chain in the index. */
  readonly through: number;
  /** The monthly index deleted. */
  readonly index: string;
  readonly at: string;
  readonly key: string;
}

export interface SignedRetentionStatement extends RetentionStatement {
  readonly digest: string;
  readonly signature: string;
}

/**
 * The bytes signed. They begin with their kind, so no signature over a retention statement can
 * pass for a checkpoint's, or the other way round.
 */
export function retentionBytes(statement: RetentionStatement): Buffer {
  const { v, chain, through, index, at, key } = statement;
  return Buffer.from(JSON.stringify({ kind: 'retention', v, chain, through, index, at, key }), 'utf8');
}

export function signRetention(
  key: SigningKey,
  chain: string,
  through: number,
  index: string,
  at: Date,
): SignedRetentionStatement {
  const statement: RetentionStatement = { v: 1, chain, through, index, at: at.toISOString(), key: key.id };
  const bytes = retentionBytes(statement);
  return {
    ...statement,
    digest: hash('sha256', bytes, 'hex'),
    signature: sign(null, bytes, key.privateKey).toString('base64'),
  };
}

export function checkRetentionSignature(
  statement: SignedRetentionStatement,
  trusted: ReadonlyMap<string, KeyObject>,
): SignatureCheck {
  return verifySignedBytes(retentionBytes(statement), statement, trusted);
}

export function isSignedRetentionStatement(value: unknown): value is SignedRetentionStatement {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Record<string, unknown>;
  return (
    s.v === 1 &&
    typeof s.chain === 'string' &&
    typeof s.through === 'number' &&
    Number.isSafeInteger(s.through) &&
    typeof s.index === 'string' &&
    typeof s.at === 'string' &&
    !Number.isNaN(Date.parse(s.at)) &&
    typeof s.key === 'string' &&
    typeof s.digest === 'string' &&
    typeof s.signature === 'string'
  );
}
