import type { ChainHead } from '@cairn/integrity';

/** Kafka record headers as kafkajs gives them. */
export type RawHeaders = Readonly<Record<string, Buffer | string | (Buffer | string)[] | undefined>>;

export interface RawMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly offset: string;
  /** The intake's sender binding travels here (see the sender-binding step). */
  readonly headers?: RawHeaders;
}

/** Where a batch comes from and what the consumer lets it do while it waits. */
export interface BatchContext {
  readonly topic: string;
  readonly partition: number;
  /** Keeps the consumer's group membership alive while a batch waits on a sink. */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping or lost the partition: the batch is abandoned, uncommitted. */
  isRunning(): boolean;
  /**
   * Stops fetching for this partition while its batch waits on a sink, so nothing more is
   * buffered for it; returns the function that resumes it.
   */
  pause(): () => void;
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
  /** Documents written to the feed topics, by format. */
  onFeed?(format: string, count: number): void;
  /** One more attempt at a chain operation the store refused or did not answer. */
  onChainRetry?(operation: ChainOperation): void;
}

/** What the integrity chain reads or writes in the store, each of which can wait on it. */
export type ChainOperation = 'head' | 'stored_copies' | 'relink';

export const NO_OBSERVER: PipelineObserver = {
  onBatch: () => undefined,
  onWrite: () => undefined,
  onStored: () => undefined,
  onDuplicate: () => undefined,
  onRetry: () => undefined,
  onDeadLetter: () => undefined,
  onPause: () => undefined,
};

/** Why a message could not be stored: a stable code, a sentence, and headers for some codes. */
export interface Failure {
  readonly code: string;
  readonly message: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface BatchOutcome {
  /** Offset to commit (last message + 1), or undefined when the batch was abandoned. */
  readonly commitOffset?: string;
  readonly stored: number;
  readonly duplicates: number;
  readonly deadLettered: number;
  /** The integrity chain's head after this batch: committed with the offset, as its metadata. */
  readonly chainHead?: ChainHead;
}
