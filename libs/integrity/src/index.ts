export {
  ACCESS_CHAIN_PREFIX,
  accessChainOf,
  chainOf,
  GENESIS,
  isChainHead,
  nextLink,
  sameLink,
  withLink,
  type ChainHead,
  type ChainLink,
} from './chain';
export {
  checkSignature,
  isSignedCheckpoint,
  keyIdOf,
  signCheckpoint,
  signedBytes,
  type CheckpointStatement,
  type SignatureCheck,
  type SignedCheckpoint,
  type SigningKey,
} from './checkpoint';
export {
  checkRetentionSignature,
  isSignedRetentionStatement,
  retentionBytes,
  signRetention,
  type RetentionStatement,
  type SignedRetentionStatement,
} from './retention-statement';
export { ChainVerifier, type ChainVerifierOptions, type StoredEvent } from './chain-verifier';
export { eventDigest, GENESIS_HASH, linkHash, OUTSIDE_THE_HASH } from './event-digest';
export { FindingKind, type EventReference, type IntegrityFinding } from './findings';
export { decodeChainProgress, encodeChainProgress } from './chain-progress';
export {
  DEFAULT_CHECKPOINT_DIR,
  integrityConfigOf,
  type IntegrityConfig,
  type IntegrityRole,
} from './integrity-settings';
export { verificationRecord, type VerificationOutcome } from './verification-record';
