import {
  FindingKind,
  type IntegrityFinding,
  type SignedCheckpoint,
  type SignedRetentionStatement,
} from '@cairn/integrity';
import type { CheckpointIndex } from './checkpoint-index';
import type { CheckpointLog } from './checkpoint-log';

export interface StatementsByChain {
  readonly checkpoints: Map<string, SignedCheckpoint[]>;
  readonly retention: Map<string, SignedRetentionStatement[]>;
  /** Where they were read from. */
  readonly sources: string[];
}

/**
 * Copies from the log and the index merged by digest, signed up to `to`, grouped by chain in time
 * order. The same digest with other content means one copy was edited: both are kept, and the
 * verifier rejects the edited one.
 */
function byChain<T extends { readonly digest: string; readonly chain: string; readonly at: string }>(
  copies: readonly T[],
  to: Date | undefined,
): Map<string, T[]> {
  const byDigest = new Map<string, T>();
  for (const copy of copies) {
    if (to && Date.parse(copy.at) > to.getTime()) continue;
    const known = byDigest.get(copy.digest);
    if (known && JSON.stringify(known) !== JSON.stringify(copy)) byDigest.set(`${copy.digest}:index`, copy);
    else byDigest.set(copy.digest, copy);
  }
  const grouped = new Map<string, T[]>();
  for (const copy of byDigest.values()) grouped.set(copy.chain, [...(grouped.get(copy.chain) ?? []), copy]);
  for (const list of grouped.values()) list.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return grouped;
}

/** The checkpoints and retention statements of the log and the index; unreadable entries are findings. */
export async function signedStatementsUpTo(
  index: CheckpointIndex,
  log: CheckpointLog | undefined,
  to: Date | undefined,
  report: (finding: IntegrityFinding) => void,
): Promise<StatementsByChain> {
  const sources: string[] = [index.name];
  const fromIndex = await index.read(to);
  const fromLog = log ? await log.read() : { checkpoints: [], retention: [], malformed: [], present: false };
  if (fromLog.present) sources.push(log!.directory);
  for (const where of [...fromIndex.malformed, ...fromLog.malformed]) {
    report({
      kind: FindingKind.BAD_SIGNATURE,
      chain: '',
      checkpoint: where,
      message: `${where} is not a checkpoint: it was damaged or replaced`,
    });
  }
  return {
    checkpoints: byChain([...fromLog.checkpoints, ...fromIndex.checkpoints], to),
    retention: byChain([...fromLog.retention, ...fromIndex.retention], to),
    sources,
  };
}
