import { CairnEventError, EventErrorCode, type AuditEventDocument, type Product } from '@cairn/event-schema';
import { statusOf, type WriteResult } from '@cairn/elasticsearch-store';
import { DEAD_LETTER_HEADERS, type DeadLetter } from '@cairn/kafka';
import { normalizeRawEvent, type NormalizeOptions } from '@cairn/normalizers';

export interface RawMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly offset: string;
}

export interface BatchContext {
  readonly topic: string;
  readonly partition: number;
  /** Keeps the consumer's group membership alive while a batch waits on Elasticsearch. */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping: the batch is abandoned, uncommitted. */
  isRunning(): boolean;
  /**
   * Stops fetching for this partition while its batch waits on Elasticsearch, so nothing more is
   * buffered for it; returns the function that resumes it.
   */
  pause(): () => void;
}

export interface DocumentWriter {
  write(documents: readonly AuditEventDocument[]): Promise<WriteResult[]>;
}

export interface DeadLetterSink {
  send(letters: readonly DeadLetter[]): Promise<void>;
}

export interface PipelineLog {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** Counts what happens to messages and documents; metrics implement it, tests may ignore it. */
export interface PipelineObserver {
  onBatch(topic: string, messages: number): void;
  onWrite(seconds: number): void;
  onStored(count: number): void;
  onDuplicate(count: number): void;
  onRetry(count: number): void;
  onDeadLetter(code: string): void;
  /** +1 when a partition is paused for backpressure, -1 when it resumes. */
  onPause(delta: 1 | -1): void;
}

const NO_OBSERVER: PipelineObserver = {
  onBatch: () => undefined,
  onWrite: () => undefined,
  onStored: () => undefined,
  onDuplicate: () => undefined,
  onRetry: () => undefined,
  onDeadLetter: () => undefined,
  onPause: () => undefined,
};

export interface BatchOutcome {
  /** Offset to commit (last message + 1), or undefined when the batch was abandoned. */
  readonly commitOffset?: string;
  readonly stored: number;
  readonly duplicates: number;
  readonly deadLettered: number;
}

interface Entry {
  readonly message: RawMessage;
  readonly documents: AuditEventDocument[];
  failure?: { code: string; message: string; headers?: Readonly<Record<string, string>> };
  attempts: number;
}

export interface BatchPipelineOptions {
  readonly product?: (topic: string) => Product | undefined;
  readonly normalize?: NormalizeOptions;
  /** Adds the compliance controls each event evidences (cairn.compliance) before it is stored. */
  readonly tag?: (document: AuditEventDocument) => AuditEventDocument;
  readonly observer?: PipelineObserver;
  /** Documents per bulk request, whatever the number of messages they came from. */
  readonly maxDocumentsPerBulk?: number;
  /** Runs before normalizing each message; throws where a normalizer bug would (see failpoints). */
  readonly failpoint?: (bytes: Buffer) => void;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

// How often a backoff looks whether the consumer is stopping: a stop waits at most this long for
// the chunk in hand to be abandoned, which leaves time to leave the group and close connections
// within a quarter second of SIGTERM (the fault suite measures it).
const SLEEP_SLICE_MS = 50;

/**
 * CAIRN_FAILPOINT_NORMALIZER_BUG (development mode only): a message containing the marker throws a
 * plain error, as a normalizer bug would, so a test can watch one go to the dead-letter topic.
 */
export function normalizerBugFailpoint(marker: string | undefined): ((bytes: Buffer) => void) | undefined {
  if (!marker) return undefined;
  const needle = Buffer.from(marker);
  return (bytes) => {
    if (bytes.includes(needle)) throw new TypeError('failpoint CAIRN_FAILPOINT_NORMALIZER_BUG was hit');
  };
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One batch's journey: decode and normalize each message, write every document, retry what
 * Elasticsearch could not take yet, dead-letter what it never will, and only then name the
 * offset that is safe to commit. Nothing is dropped: a message is stored or dead-lettered.
 */
export class BatchPipeline {
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly observer: PipelineObserver;

  constructor(
    private readonly writer: DocumentWriter,
    private readonly deadLetters: DeadLetterSink,
    private readonly log: PipelineLog,
    private readonly options: BatchPipelineOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? defaultSleep;
    this.observer = options.observer ?? NO_OBSERVER;
  }

  async process(messages: readonly RawMessage[], context: BatchContext): Promise<BatchOutcome> {
    if (messages.length === 0) return { stored: 0, duplicates: 0, deadLettered: 0 };
    this.observer.onBatch(context.topic, messages.length);
    const firstSeen = this.now();
    const entries = messages.map((message) => this.normalize(message, context.topic, firstSeen));
    const counts = await this.store(entries, context);
    if (!counts) return { stored: 0, duplicates: 0, deadLettered: 0 };

    const failed = entries.filter((entry) => entry.failure);
    await this.deadLetters.send(
      failed.map((entry) => ({
        key: entry.message.key,
        value: entry.message.value,
        code: entry.failure!.code,
        message: entry.failure!.message,
        sourceTopic: context.topic,
        sourcePartition: context.partition,
        sourceOffset: entry.message.offset,
        firstFailure: firstSeen,
        attempts: entry.attempts,
        headers: entry.failure!.headers,
      })),
    );
    for (const entry of failed) this.observer.onDeadLetter(entry.failure!.code);
    this.observer.onStored(counts.stored);
    this.observer.onDuplicate(counts.duplicates);
    const last = messages[messages.length - 1].offset;
    return { commitOffset: (BigInt(last) + 1n).toString(), ...counts, deadLettered: failed.length };
  }

  private normalize(message: RawMessage, topic: string, receivedAt: Date): Entry {
    try {
      const product = this.options.product?.(topic);
      const bytes = message.value ?? Buffer.alloc(0);
      this.options.failpoint?.(bytes);
      const normalized = normalizeRawEvent({ bytes, receivedAt, product }, this.options.normalize);
      const tag = this.options.tag;
      const documents = tag ? normalized.map((document) => tag(document)) : normalized;
      return { message, documents, attempts: 1 };
    } catch (error) {
      if (error instanceof CairnEventError) {
        return { message, documents: [], failure: { code: error.code, message: error.message }, attempts: 1 };
      }
      // One message must not stall its partition forever through a normalizer bug.
      this.log.error({ err: error, topic, offset: message.offset }, 'normalizer failed unexpectedly');
      const text = error instanceof Error ? error.message : String(error);
      return {
        message,
        documents: [],
        failure: { code: EventErrorCode.NormalizerFailure, message: text },
        attempts: 1,
      };
    }
  }

  /** Returns undefined when the consumer stopped before every document reached a final state. */
  private async store(entries: Entry[], context: BatchContext) {
    let resume: (() => void) | undefined;
    try {
      return await this.storeUntilFinal(entries, context, () => {
        if (resume) return;
        resume = context.pause();
        this.observer.onPause(1);
      });
    } finally {
      if (resume) {
        resume();
        this.observer.onPause(-1);
      }
    }
  }

  private async storeUntilFinal(entries: Entry[], context: BatchContext, pause: () => void) {
    let pending = entries.flatMap((entry) => entry.documents.map((document) => ({ entry, document })));
    let stored = 0;
    let duplicates = 0;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > 0) {
        pause();
        const delay = this.backoff(attempt);
        this.log.warn(
          { topic: context.topic, partition: context.partition, pending: pending.length, delay },
          'retrying documents Elasticsearch could not take',
        );
        // Slept in slices: a stop (SIGTERM) or a rebalance must not wait out a 30 s backoff.
        for (let slept = 0; slept < delay && context.isRunning(); slept += SLEEP_SLICE_MS) {
          await this.sleep(Math.min(SLEEP_SLICE_MS, delay - slept));
        }
        if (!context.isRunning()) return undefined;
        await context.heartbeat();
        this.observer.onRetry(pending.length);
      }
      const results = await this.writeInBulks(pending.map((item) => item.document));
      const retry: typeof pending = [];
      results.forEach((result, index) => {
        const item = pending[index];
        if (result.status === 'created') stored += 1;
        else if (result.status === 'duplicate') duplicates += 1;
        else if (result.status === 'conflict') {
          item.entry.failure = {
            code: EventErrorCode.IdentityConflict,
            message:
              `event ${item.document.event.id} is already stored in ${result.storedIndex} with other content ` +
              `(fingerprint ${result.storedFingerprint}; this one ${result.fingerprint})`,
            headers: {
              [DEAD_LETTER_HEADERS.conflictEventId]: item.document.event.id,
              [DEAD_LETTER_HEADERS.conflictStoredIndex]: result.storedIndex,
              [DEAD_LETTER_HEADERS.conflictStoredFingerprint]: result.storedFingerprint,
              [DEAD_LETTER_HEADERS.conflictFingerprint]: result.fingerprint,
            },
          };
          item.entry.attempts = attempt + 1;
        } else if (result.status === 'rejected') {
          item.entry.failure = {
            code: EventErrorCode.StorageRejected,
            message: `${result.httpStatus} ${result.reason}`,
          };
          item.entry.attempts = attempt + 1;
        } else {
          item.entry.attempts = attempt + 2;
          retry.push(item);
        }
      });
      pending = retry;
    }
    return { stored, duplicates };
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
    const base = this.options.baseDelayMs ?? 200;
    const max = this.options.maxDelayMs ?? 30_000;
    const ceiling = Math.min(max, base * 2 ** Math.min(attempt - 1, 16));
    // Full jitter: many ingest processes waiting on one cluster must not retry in step.
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }
}
