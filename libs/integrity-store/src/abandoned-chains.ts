import {
  ACCESS_CHAIN_PREFIX,
  signCheckpoint,
  type SignedCheckpoint,
  type SigningKey,
} from '@cairn/integrity';
import type { ChainIndex } from './chain-index';
import type { CheckpointIndex } from './checkpoint-index';
import type { CheckpointLog } from './checkpoint-log';

export interface AbandonedChainsOptions {
  readonly index: CheckpointIndex;
  readonly log: CheckpointLog;
  readonly links: ChainIndex;
  readonly key: SigningKey;
  readonly intervalMs: number;
  readonly logger: { info(fields: object, message: string): void };
  readonly now?: () => Date;
}

/**
 * Three intervals without a checkpoint: a live process signs one every interval, so its chain is
 * never taken for dead because one checkpoint was late.
 */
const ABANDONED_AFTER_INTERVALS = 3;

/**
 * Closes the access chains of API processes that died without closing them (kill -9, a lost node):
 * a process still running signs, for each chain whose newest checkpoint is open and more than
 * three intervals old, a closing checkpoint at the chain's head as stored, as ingest resuming a
 * partition trusts the store for the stretch since the last checkpoint. Two APIs doing it at once
 * sign two closes after the same checkpoint, which verify alike.
 */
export class AbandonedChains {
  constructor(private readonly options: AbandonedChainsOptions) {}

  async close(own: string): Promise<SignedCheckpoint[]> {
    const { index, log, links, key, intervalMs, logger } = this.options;
    const now = this.options.now?.() ?? new Date();
    const newest = await index.newestByChain(ACCESS_CHAIN_PREFIX);
    const abandoned = newest.filter(
      (checkpoint) =>
        checkpoint.chain !== own &&
        !checkpoint.closed &&
        now.getTime() - Date.parse(checkpoint.at) > ABANDONED_AFTER_INTERVALS * intervalMs,
    );
    const closed: SignedCheckpoint[] = [];
    for (const last of abandoned) {
      const stored = await links.storedHead(last.chain);
      // A store that lost the tail the checkpoint counted: the close restates the checkpoint, and
      // verification reports the lost positions.
      const head = stored.seq >= last.seq ? stored : { seq: last.seq, hash: last.head };
      const close = signCheckpoint(key, last.chain, head, now, last.digest, true);
      await log.append(close);
      await index.write(close);
      logger.info(
        { chain: last.chain, seq: head.seq, lastCheckpointAt: last.at },
        'closed the access chain of an API process that stopped without closing it',
      );
      closed.push(close);
    }
    return closed;
  }
}
