import type { BatchContext } from './pipeline.types';

// How often a backoff looks whether the consumer is stopping: a stop waits at most this long for
// the chunk in hand to be abandoned, which leaves time to leave the group and close connections
// within a quarter second of SIGTERM (the fault suite measures it).
const SLEEP_SLICE_MS = 50;

export const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Full jitter: many ingest processes waiting on one cluster must not retry in step. */
export function backoffMs(attempt: number, baseMs = 200, maxMs = 30_000): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 16));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/** Sleeps in slices, so a stop (SIGTERM) or a rebalance never waits out a long backoff; false once abandoned. */
export async function sleepWhileRunning(
  context: BatchContext,
  ms: number,
  sleep: (ms: number) => Promise<void> = defaultSleep,
): Promise<boolean> {
  for (let slept = 0; slept < ms && context.isRunning(); slept += SLEEP_SLICE_MS) {
    await sleep(Math.min(SLEEP_SLICE_MS, ms - slept));
  }
  return context.isRunning();
}

export interface RetryLog {
  warn(fields: object, message: string): void;
}

/** How a wait on the store is told: the log, and the same metrics a bulk's retries move. */
export interface RetryReporting {
  readonly log: RetryLog;
  /** +1 as the partition pauses, -1 as it resumes: the backpressure gauge counts every wait. */
  readonly onPause?: (delta: 1 | -1) => void;
  /** Once per attempt after the first. */
  readonly onRetry?: () => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * A partition paused while its chunk waits on the store, once however often it waits, and reported
 * as it pauses (+1) and resumes (-1): every wait on the store moves the same backpressure gauge.
 */
export class PartitionPause {
  private resume?: () => void;

  constructor(
    private readonly context: BatchContext,
    private readonly onPause?: (delta: 1 | -1) => void,
  ) {}

  pause(): void {
    if (this.resume) return;
    this.resume = this.context.pause();
    this.onPause?.(1);
  }

  /** In a finally: resumes the partition if it was paused. */
  end(): void {
    if (!this.resume) return;
    this.resume();
    this.resume = undefined;
    this.onPause?.(-1);
  }
}

/**
 * Runs `work` until it succeeds, with backoff, the partition paused meanwhile (nothing more is
 * fetched for it) and the consumer heartbeating; undefined once the consumer stops or loses the
 * partition, so the batch is abandoned uncommitted and its replay does the work again.
 */
export async function retryWhileRunning<T>(
  context: BatchContext,
  what: string,
  reporting: RetryReporting,
  work: () => Promise<T>,
): Promise<T | undefined> {
  const paused = new PartitionPause(context, reporting.onPause);
  try {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await work();
      } catch (error) {
        paused.pause();
        const delay = backoffMs(attempt);
        const reason = error instanceof Error ? error.message : String(error);
        reporting.log.warn(
          { topic: context.topic, partition: context.partition, reason, delay },
          `retrying: ${what}`,
        );
        if (!(await sleepWhileRunning(context, delay, reporting.sleep))) return undefined;
        await context.heartbeat();
        reporting.onRetry?.();
      }
    }
  } finally {
    paused.end();
  }
}
