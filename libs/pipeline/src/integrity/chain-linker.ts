import { FingerprintCache, type AuditEventDocument } from '@cairn/event-schema';
import {
  chainOf,
  eventDigest,
  linkHash,
  sameLink,
  withLink,
  type ChainHead,
  type ChainLink,
} from '@cairn/integrity';
import { retryWhileRunning, type RetryLog } from '../backoff';
import {
  NO_OBSERVER,
  type BatchContext,
  type ChainOperation,
  type PipelineObserver,
} from '../pipeline.types';
import type { StoreOutcome } from '../sinks/store.sink';

export interface StoredCopy {
  readonly index: string;
  readonly document: AuditEventDocument;
}

export interface LinkUpdate {
  readonly id: string;
  readonly index: string;
  readonly link: ChainLink;
}

/** Where chains are read from and corrected in: the event store, and the consumer group's commits. */
export interface ChainStore {
  /** The head of `chain` after every message of its partition before `offset`. */
  headBefore(chain: string, topic: string, partition: number, offset: string): Promise<ChainHead>;
  /** The stored copies of events the store already had (real-time reads), by event id. */
  storedCopies(refs: readonly { id: string; index: string }[]): Promise<Map<string, StoredCopy>>;
  /** Rewrites cairn.integrity of stored events; resolves once every update is durable, or throws. */
  relink(updates: readonly LinkUpdate[]): Promise<void>;
}

export interface ChainLinkerOptions {
  readonly log: RetryLog;
  /** A wait on the store shows as a paused partition and a chain retry, like a bulk's wait. */
  readonly observer?: PipelineObserver;
  /** Shared with the store's writer: each document's fingerprint is computed once. */
  readonly fingerprints?: FingerprintCache;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface LinkedBatch {
  readonly chain: string;
  readonly start: ChainHead;
  readonly documents: AuditEventDocument[];
  /** Each document's event digest: a link moved to another place is rehashed without a new walk. */
  readonly digests: string[];
  /** The linker's epoch when the batch was linked: a head settled after a forget is not kept. */
  readonly epoch: number;
}

const linkAfter = (chain: string, head: ChainHead, digest: string): ChainLink => ({
  chain,
  seq: head.seq + 1,
  prev: head.hash,
  hash: linkHash(head.hash, digest),
});

export interface SettledBatch {
  /** What is stored now, links settled: what the feed carries. */
  readonly delivered: AuditEventDocument[];
  readonly head: ChainHead;
}

const samePosition = (a: AuditEventDocument, b: AuditEventDocument): boolean => {
  const p = a.cairn.position;
  const q = b.cairn.position;
  return (
    !!p &&
    !!q &&
    p.topic === q.topic &&
    p.partition === q.partition &&
    p.offset === q.offset &&
    p.item === q.item
  );
};

/**
 * The integrity chain step. Before the store, every event gets the link after the previous one of
 * its partition; after the store answered, the chain is settled to what is really stored: an
 * event that failed for good takes no position, an event stored before at another position (a
 * sender's retry) keeps the position it has, and an event stored before at this very position (a
 * replay after a crash) is chained as it was stored, so the replay rebuilds the same chain instead
 * of forking it. Links that came out different are rewritten before the offset is committed.
 */
export class ChainLinker {
  private readonly heads = new Map<string, { head: ChainHead; nextOffset: string }>();
  /** Moves on at every forget: a batch linked before it settles without leaving its head here. */
  private epoch = 0;

  readonly fingerprints: FingerprintCache;

  constructor(
    private readonly store: ChainStore,
    private readonly options: ChainLinkerOptions,
  ) {
    this.fingerprints = options.fingerprints ?? new FingerprintCache();
  }

  async link(
    documents: readonly AuditEventDocument[],
    context: BatchContext,
    firstOffset: string,
  ): Promise<LinkedBatch | undefined> {
    const chain = chainOf(context.topic, context.partition);
    const known = this.heads.get(chain);
    // Anything but the offset right after the last batch (a restart, a rebalance, a retried batch)
    // reloads; with the store away that waits like a bulk does, and a stop abandons the batch.
    const start =
      known && known.nextOffset === firstOffset
        ? known.head
        : await this.retrying(context, 'head', `the head of chain ${chain}`, () =>
            this.store.headBefore(chain, context.topic, context.partition, firstOffset),
          );
    if (!start) return undefined;
    const epoch = this.epoch;
    let head = start;
    const digests: string[] = [];
    const linked = documents.map((document) => {
      const fingerprint = this.fingerprints.of(document);
      const digest = eventDigest(document, fingerprint);
      const link = linkAfter(chain, head, digest);
      head = link;
      digests.push(digest);
      const stored = withLink(document, link);
      this.fingerprints.remember(stored, fingerprint);
      return stored;
    });
    return { chain, start, documents: linked, digests, epoch };
  }

  /** Undefined when the consumer stopped while the store was away: the batch stays uncommitted. */
  async settle(
    batch: LinkedBatch,
    outcomes: readonly StoreOutcome[],
    nextOffset: string,
    context: BatchContext,
  ): Promise<SettledBatch | undefined> {
    if (outcomes.every((outcome) => outcome.status === 'created')) {
      // The common case: everything was new, so the links given before the store stand.
      const last = batch.documents.at(-1)?.cairn.integrity;
      const head = last ? { seq: last.seq, hash: last.hash } : batch.start;
      this.keep(batch, head, nextOffset);
      return { delivered: batch.documents, head };
    }
    const duplicates = batch.documents.flatMap((document, i) => {
      const outcome = outcomes[i];
      return outcome.status === 'duplicate' ? [{ id: document.event.id, index: outcome.index ?? '' }] : [];
    });
    const copies =
      duplicates.length === 0
        ? new Map<string, StoredCopy>()
        : await this.retrying(context, 'stored_copies', 'reading stored copies', () =>
            this.store.storedCopies(duplicates),
          );
    if (!copies) return undefined;
    let head = batch.start;
    const delivered: AuditEventDocument[] = [];
    const updates: LinkUpdate[] = [];
    batch.documents.forEach((document, i) => {
      const outcome = outcomes[i];
      if (outcome.status === 'failed') return;
      let target = document;
      let digest = batch.digests[i];
      let index = outcome.index ?? '';
      if (outcome.status === 'duplicate') {
        const copy = copies.get(document.event.id);
        if (!copy || !samePosition(copy.document, document)) {
          // Chained where it was first stored (or, stored before chains existed, in none).
          if (copy) delivered.push(copy.document);
          return;
        }
        target = copy.document;
        digest = eventDigest(target);
        index = copy.index;
      }
      const link = linkAfter(batch.chain, head, digest);
      head = link;
      if (!sameLink(target.cairn.integrity, link)) updates.push({ id: document.event.id, index, link });
      delivered.push(withLink(target, link));
    });
    if (updates.length > 0) {
      const relinked = await this.retrying(context, 'relink', 'correcting chain links', () =>
        this.store.relink(updates).then(() => true),
      );
      if (!relinked) return undefined;
    }
    const settledHead = { seq: head.seq, hash: head.hash };
    this.keep(batch, settledHead, nextOffset);
    return { delivered, head: settledHead };
  }

  private retrying<T>(
    context: BatchContext,
    operation: ChainOperation,
    what: string,
    work: () => Promise<T>,
  ): Promise<T | undefined> {
    const observer = this.options.observer ?? NO_OBSERVER;
    const reporting = {
      log: this.options.log,
      sleep: this.options.sleep,
      onPause: (delta: 1 | -1) => observer.onPause(delta),
      onRetry: () => observer.onChainRetry?.(operation),
    };
    return retryWhileRunning(context, what, reporting, work);
  }

  /** The settled heads of the chains this process writes, for checkpoints. */
  headOf(chain: string): ChainHead | undefined {
    return this.heads.get(chain)?.head;
  }

  private keep(batch: LinkedBatch, head: ChainHead, nextOffset: string): void {
    if (batch.epoch === this.epoch) this.heads.set(batch.chain, { head, nextOffset });
  }

  /**
   * After a rebalance: any partition may have been another process's in between (a member that
   * missed a generation sees its old assignment again), so no head held here is trusted; each is
   * read again from the commit, and a batch still settling does not put its head back.
   */
  forgetAll(): void {
    this.heads.clear();
    this.epoch += 1;
  }
}
