import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { errors } from '@elastic/elasticsearch';
import type { ElasticsearchConfig } from '@cairn/config';
import type { SearchFailure } from '@cairn/elasticsearch-store';
import type { ChainPlan, ChainResult, ChainRules } from './chain-scan';

export interface ChainWorkerData {
  readonly elasticsearch: ElasticsearchConfig;
}

/** From the pool to a worker: the next chain to verify, and the rules of its verification. */
export interface ToChainWorker {
  readonly plan: ChainPlan;
  readonly rules: ChainRules;
}

export type FromChainWorker =
  | { readonly kind: 'read'; readonly events: number }
  | { readonly kind: 'done'; readonly result: ChainResult }
  | { readonly kind: 'failed'; readonly message: string; readonly failure?: SearchFailure };

/**
 * The worker script beside this module once built: webpack emits it next to each app's main.js,
 * tsc next to this file. Undefined when running from TypeScript sources (the tests), where the
 * chains are verified on the calling thread instead.
 */
export function chainWorkerScript(): string | undefined {
  const script = join(__dirname, 'chain-verify.worker.js');
  return existsSync(script) ? script : undefined;
}

/** A worker's failure as the error the calling thread would have had, so callers map it the same way (SEARCH_UNAVAILABLE, …). */
function errorOf(message: { message: string; failure?: SearchFailure }): Error {
  const text = `integrity verification thread: ${message.message}`;
  if (message.failure === 'timeout') return new errors.TimeoutError(text);
  if (message.failure === 'unavailable') return new errors.ConnectionError(text);
  return new Error(text);
}

/**
 * Verifies chains on worker threads, each with its own Elasticsearch client: reading, parsing and
 * hashing a chain is CPU work on the thread that does it, so threads let several chains use
 * several cores and keep the caller's event loop free. The threads are started on first use and
 * kept (a fresh thread hashes slowly until its code is compiled), idle ones never hold the
 * process open.
 */
export interface ChainWorkerPoolOptions {
  readonly size: number;
  /** Each thread's young generation in MB (V8's default when unset). */
  readonly youngGenerationMb?: number;
  /** Threads idle this long end, giving their memory back (default 5 minutes). */
  readonly idleMs?: number;
}

const DEFAULT_IDLE_MS = 5 * 60_000;

export class ChainWorkerPool {
  private workers: Worker[] = [];
  private busy = Promise.resolve();
  private idle?: NodeJS.Timeout;

  constructor(
    private readonly script: string,
    private readonly options: ChainWorkerPoolOptions,
    private readonly data: ChainWorkerData,
  ) {}

  /** Results in plan order. One verification at a time: a second waits for the first. */
  verify(
    plans: readonly ChainPlan[],
    rules: ChainRules,
    onRead: (events: number) => void,
  ): Promise<ChainResult[]> {
    clearTimeout(this.idle);
    const run = this.busy.then(() => this.run(plans, rules, onRead));
    this.busy = run.then(
      () => this.endWhenIdle(),
      () => undefined,
    );
    return run;
  }

  async close(): Promise<void> {
    clearTimeout(this.idle);
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private endWhenIdle(): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(() => void this.close(), this.options.idleMs ?? DEFAULT_IDLE_MS);
    this.idle.unref();
  }

  private async run(
    plans: readonly ChainPlan[],
    rules: ChainRules,
    onRead: (events: number) => void,
  ): Promise<ChainResult[]> {
    while (this.workers.length < Math.min(this.options.size, plans.length)) this.workers.push(this.start());
    const results = new Array<ChainResult>(plans.length);
    // Longest chains first, so no thread is left with a long one while the others idle.
    const order = plans.map((_, at) => at).sort((a, b) => plans[b].count - plans[a].count);
    let next = 0;
    const drive = (worker: Worker) =>
      new Promise<void>((resolve, reject) => {
        let at = -1;
        const finish = (error?: Error) => {
          worker.off('message', onMessage).off('error', finish).off('exit', onExit);
          worker.unref();
          if (error) reject(error);
          else resolve();
        };
        const give = () => {
          at = next < order.length ? order[next] : plans.length;
          next += 1;
          if (at < plans.length) worker.postMessage({ plan: plans[at], rules } satisfies ToChainWorker);
          else finish();
        };
        const onMessage = (message: FromChainWorker) => {
          if (message.kind === 'read') onRead(message.events);
          else if (message.kind === 'done') {
            results[at] = message.result;
            give();
          } else finish(errorOf(message));
        };
        const onExit = (code: number) =>
          finish(
            new Error(
              `integrity verification thread ended (exit code ${code}) before its chain was verified`,
            ),
          );
        worker.ref();
        worker.on('message', onMessage).on('error', finish).on('exit', onExit);
        give();
      });
    const working = this.workers.slice(0, Math.max(1, Math.min(this.options.size, plans.length)));
    try {
      await Promise.all(working.map(drive));
      return results;
    } catch (error) {
      // A thread that failed, or is still on a chain of a failed verification, is not reused.
      await this.close();
      throw error;
    }
  }

  private start(): Worker {
    const worker = new Worker(this.script, {
      workerData: this.data satisfies ChainWorkerData,
      // Parsed pages are short-lived garbage: a larger young generation collects them in fewer,
      // cheaper scavenges (V8's default for a thread is small).
      ...(this.options.youngGenerationMb
        ? { resourceLimits: { maxYoungGenerationSizeMb: this.options.youngGenerationMb } }
        : {}),
    });
    worker.unref();
    return worker;
  }
}
