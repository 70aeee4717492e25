import type { AuditEventDocument } from '@cairn/event-schema';
import { EventErrorCode } from '@cairn/event-schema';
import { statusOf, type WriteResult } from '@cairn/elasticsearch-store';
import { DEAD_LETTER_HEADERS } from '@cairn/kafka';
import { backoffMs, defaultSleep, PartitionPause, sleepWhileRunning } from '../backoff';
import {
  NO_OBSERVER,
  type BatchContext,
  type Failure,
  type PipelineLog,
  type PipelineObserver,
} from '../pipeline.types';

export interface DocumentWriter {
  write(documents: readonly AuditEventDocument[]): Promise<WriteResult[]>;
}

/** A document's final state: in the store (new or already there), or failed for good. */
export type StoreOutcome =
  /** `index`: where the stored document is (for a duplicate, the copy stored before). */
  | { readonly status: 'created' | 'duplicate'; readonly index?: string }
  | { readonly status: 'failed'; readonly failure: Failure; readonly attempts: number };

/** The sink every event must reach: resolves once each document is final, or undefined if abandoned. */
export interface StoreSink {
  store(documents: readonly AuditEventDocument[], context: BatchContext): Promise<StoreOutcome[] | undefined>;
}

export interface RetryingStoreOptions {
  readonly observer?: PipelineObserver;
  /** Documents per bulk request, whatever the number of messages they came from. */
  readonly maxDocumentsPerBulk?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

interface Pending {
  readonly index: number;
  readonly document: AuditEventDocument;
}

/**
 * Elasticsearch as a sink, with the retry policy it needs: a bulk 200 is not success, so every
 * item is read; created and already-there are done, 429/5xx and failed requests are retried with
 * jittered backoff while the partition is paused, other refusals fail for good.
 */
export class RetryingStore implements StoreSink {
  private readonly observer: PipelineObserver;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly writer: DocumentWriter,
    private readonly log: PipelineLog,
    private readonly options: RetryingStoreOptions = {},
  ) {
    this.observer = options.observer ?? NO_OBSERVER;
    this.sleep = options.sleep ?? defaultSleep;
  }

  async store(documents: readonly AuditEventDocument[], context: BatchContext) {
    const paused = new PartitionPause(context, (delta) => this.observer.onPause(delta));
    try {
      return await this.storeUntilFinal(documents, context, () => paused.pause());
    } finally {
      paused.end();
    }
  }

  private async storeUntilFinal(
    documents: readonly AuditEventDocument[],
    context: BatchContext,
    pause: () => void,
  ): Promise<StoreOutcome[] | undefined> {
    const outcomes: StoreOutcome[] = new Array<StoreOutcome>(documents.length);
    let pending: Pending[] = documents.map((document, index) => ({ index, document }));
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > 0) {
        pause();
        const delay = this.backoff(attempt);
        this.log.warn(
          { topic: context.topic, partition: context.partition, pending: pending.length, delay },
          'retrying documents Elasticsearch could not take',
        );
        if (!(await sleepWhileRunning(context, delay, this.sleep))) return undefined;
        await context.heartbeat();
        this.observer.onRetry(pending.length);
      }
      const results = await this.writeInBulks(pending.map((item) => item.document));
      const retry: Pending[] = [];
      results.forEach((result, position) => {
        const item = pending[position];
        if (result.status === 'retryable') retry.push(item);
        else outcomes[item.index] = outcomeOf(result, item.document, attempt + 1);
      });
      pending = retry;
    }
    return outcomes;
  }

  /** One message may become many documents: bulk requests stay bounded by documents too. */
  private async writeInBulks(documents: AuditEventDocument[]): Promise<WriteResult[]> {
    const size = this.options.maxDocumentsPerBulk ?? 2000;
    if (documents.length <= size) return this.writeSplitting(documents);
    const results: WriteResult[] = [];
    for (let start = 0; start < documents.length; start += size) {
      results.push(...(await this.writeSplitting(documents.slice(start, start + size))));
    }
    return results;
  }

  /**
   * One bulk request; a whole-request 413 (body over http.max_content_length) is answered by
   * halving, down to the single document that is then rejected on its own.
   */
  private async writeSplitting(documents: AuditEventDocument[]): Promise<WriteResult[]> {
    const started = process.hrtime.bigint();
    try {
      const results = await this.writer.write(documents);
      this.observer.onWrite(Number(process.hrtime.bigint() - started) / 1e9);
      return results;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (statusOf(error) === 413) {
        if (documents.length === 1) return [{ status: 'rejected', httpStatus: 413, reason }];
        const half = Math.ceil(documents.length / 2);
        const first = await this.writeSplitting(documents.slice(0, half));
        return [...first, ...(await this.writeSplitting(documents.slice(half)))];
      }
      // The request as a whole failed (connection refused, timeout, 5xx): every item is retried.
      return documents.map(() => ({ status: 'retryable', httpStatus: statusOf(error) ?? 0, reason }));
    }
  }

  private backoff(attempt: number): number {
    return backoffMs(attempt, this.options.baseDelayMs, this.options.maxDelayMs);
  }
}

function outcomeOf(
  result: Exclude<WriteResult, { status: 'retryable' }>,
  document: AuditEventDocument,
  attempts: number,
): StoreOutcome {
  switch (result.status) {
    case 'created':
    case 'duplicate':
      return { status: result.status, index: result.index };
    case 'conflict':
      return {
        status: 'failed',
        attempts,
        failure: {
          code: EventErrorCode.IdentityConflict,
          message:
            `event ${document.event.id} is already stored in ${result.storedIndex} with other content ` +
            `(fingerprint ${result.storedFingerprint}; this one ${result.fingerprint})`,
          headers: {
            [DEAD_LETTER_HEADERS.conflictEventId]: document.event.id,
            [DEAD_LETTER_HEADERS.conflictStoredIndex]: result.storedIndex,
            [DEAD_LETTER_HEADERS.conflictStoredFingerprint]: result.storedFingerprint,
            [DEAD_LETTER_HEADERS.conflictFingerprint]: result.fingerprint,
          },
        },
      };
    case 'rejected':
      return {
        status: 'failed',
        attempts,
        failure: { code: EventErrorCode.StorageRejected, message: `${result.httpStatus} ${result.reason}` },
      };
  }
}
