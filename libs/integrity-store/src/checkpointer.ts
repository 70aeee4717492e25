import { signCheckpoint, type ChainHead, type SignedCheckpoint, type SigningKey } from '@cairn/integrity';
import type { CheckpointIndex } from './checkpoint-index';
import type { CheckpointLog } from './checkpoint-log';

export interface OwnedChain {
  readonly chain: string;
  readonly head: ChainHead;
}

export interface CheckpointerLog {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface CheckpointerOptions {
  readonly index: CheckpointIndex;
  readonly log: CheckpointLog;
  readonly key: SigningKey;
  readonly intervalMs: number;
  /**
   * The chains this process writes now, with their settled heads; `known` only those whose head
   * is in memory (the last round at a stop asks nothing of Kafka or Elasticsearch).
   */
  readonly owned: (known: boolean) => Promise<OwnedChain[]>;
  readonly logger: CheckpointerLog;
  readonly now?: () => Date;
  readonly onCheckpoint?: (chain: string, outcome: 'written' | 'failed') => void;
  /**
   * The last checkpoint at a stop closes each chain (the API's access chains: a process's chain
   * ends with it). Ingest's chains are not closed: another process takes the partition over.
   */
  readonly closeAtStop?: boolean;
}

/**
 * Signs a checkpoint of every chain this process writes, every interval and also when nothing
 * arrived (the checkpoints themselves show the recorder was running), and writes it to the log
 * outside Elasticsearch first, then to the checkpoint index. A failed write is logged and counted;
 * the next checkpoint names the last one written as its previous.
 */
export class Checkpointer {
  private readonly previous = new Map<string, string | null>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly options: CheckpointerOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.checkpointOnce(), this.options.intervalMs);
    this.timer.unref();
  }

  /**
   * Stops the schedule and signs the heads reached once more, so a clean stop leaves nothing
   * uncovered, waiting at most `withinMs`: a stop never waits out a store that is down (the log
   * copy is written first; a checkpoint the index missed is still in the log).
   */
  async stop(withinMs: number): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    let timeout: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timeout = setTimeout(resolve, withinMs)));
    const last = (this.running ?? Promise.resolve()).then(() => this.round(true));
    await Promise.race([last, deadline]);
    clearTimeout(timeout);
  }

  checkpointOnce(): Promise<void> {
    // One round at a time: a slow store must not pile rounds up.
    this.running ??= this.round(false).finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(final: boolean): Promise<void> {
    let chains: OwnedChain[];
    try {
      chains = await this.options.owned(final);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.options.logger.error({ reason }, 'chain heads could not be read for a checkpoint');
      return;
    }
    // Chains are independent: their checkpoints are written side by side.
    const failed: { chain: string; reason: string }[] = [];
    await Promise.all(
      chains.map(async ({ chain, head }) => {
        // At a stop, a chain whose previous checkpoint is not known here would need the index.
        if (final && !this.previous.has(chain)) return;
        try {
          await this.write(chain, head, final && this.options.closeAtStop === true);
          this.options.onCheckpoint?.(chain, 'written');
        } catch (error) {
          this.options.onCheckpoint?.(chain, 'failed');
          failed.push({ chain, reason: error instanceof Error ? error.message : String(error) });
        }
      }),
    );
    // One line a round, not one (with a stack) per chain: a store that is away says so once.
    if (failed.length > 0) {
      this.options.logger.error(
        { chains: failed.map((f) => f.chain), reason: failed[0].reason },
        'integrity checkpoints could not be written; next try at the next interval (the log copy comes first)',
      );
    }
  }

  private async write(chain: string, head: ChainHead, closed: boolean): Promise<SignedCheckpoint> {
    if (!this.previous.has(chain)) {
      // The newer of the index's and the log's: a stop may have written the log copy only.
      const [indexed, logged] = await Promise.all([
        this.options.index.latest(chain),
        this.options.log.latest(chain),
      ]);
      const newest = [indexed, logged]
        .filter((checkpoint) => checkpoint !== undefined)
        .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
        .pop();
      this.previous.set(chain, newest?.digest ?? null);
    }
    const at = this.options.now?.() ?? new Date();
    const previous = this.previous.get(chain) ?? null;
    const checkpoint = signCheckpoint(this.options.key, chain, head, at, previous, closed);
    await this.options.log.append(checkpoint);
    this.previous.set(chain, checkpoint.digest);
    await this.options.index.write(checkpoint);
    return checkpoint;
  }

  /** A chain that starts in this process: it has no checkpoint before its first, so none is looked for. */
  begin(chain: string): void {
    this.previous.set(chain, null);
  }

  /** After a rebalance: another process may have signed any chain meanwhile, so each previous is re-read. */
  forgetAll(): void {
    this.previous.clear();
  }
}
