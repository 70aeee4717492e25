export { AbandonedChains, type AbandonedChainsOptions } from './abandoned-chains';
export { ChainIndex } from './chain-index';
export { CheckpointIndex, checkpointIndexName } from './checkpoint-index';
export { CheckpointLog } from './checkpoint-log';
export { Checkpointer, type CheckpointerOptions, type OwnedChain } from './checkpointer';
export {
  IntegrityAudit,
  type ChainSummary,
  type IntegrityAuditOptions,
  type IntegrityReport,
  type VerifyProgress,
  type VerifyRequest,
} from './integrity-audit';
export { RetentionStatements, type RetentionStatementsOptions } from './retention-statements';
export { ScheduledVerification, type ScheduledVerificationOptions } from './scheduled-verification';
