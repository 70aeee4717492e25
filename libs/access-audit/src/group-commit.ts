import type { AuditEventDocument } from '@cairn/event-schema';
import type { WriteResult } from '@cairn/elasticsearch-store';
import { GENESIS, nextLink, sameLink, withLink, type ChainHead, type ChainLink } from '@cairn/integrity';

/** A stored record's corrected link (a partial update of cairn.integrity only). */
export interface AccessLinkUpdate {
  readonly index: string;
  readonly id: string;
  readonly link: ChainLink;
}

/** The API's own chain of access records: its name, and how links are corrected after a partial failure. */
export interface AccessChainOptions {
  readonly name: string;
  readonly relink: (updates: readonly AccessLinkUpdate[]) => Promise<void>;
}

export interface AccessAuditLog {
  error(fields: object, message: string): void;
}

interface Waiting {
  readonly document: AuditEventDocument;
  /** Nobody waits on it: it rides with the next bulk, or goes alone once it has waited LINGER_MS. */
  readonly lingers: boolean;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** Records arriving while a bulk is out wait for the next one, up to this many in it. */
const MOST_IN_ONE_BULK = 500;
/**
 * How long a record no answer waits on may wait for company. Sent at once, it would hold the bulk
 * slot when the next request's record arrives, and that request would wait for two writes.
 */
const LINGER_MS = 200;
const RELINK_ATTEMPTS = 3;

const isStored = (result: WriteResult) => result.status === 'created' || result.status === 'duplicate';

/**
 * Concurrent requests share one bulk request (group commit): while a bulk is out, the records
 * that arrive wait for the next, so each request still waits for its own record to be stored,
 * and a burst costs a few round trips rather than one each. With a chain, every record takes the
 * next position in it, in the order stored; a bulk that stored only some records has the stored
 * ones re-linked before anyone is answered, so the chain has no hole where a refused request's
 * record would have been.
 */
export class GroupCommit {
  private readonly waiting: Waiting[] = [];
  private flushing?: Promise<void>;
  private lingering?: NodeJS.Timeout;
  private chainHead: ChainHead = GENESIS;
  /**
   * The linked records of a bulk that got no answer, or in which a record was refused with a 5xx
   * or 429: stored or not, nobody knows yet, and one may still land (Elasticsearch can hold a bulk
   * while a shard has no primary). They are sent again, as written, before any new record takes a
   * position.
   */
  private unknownFate: AuditEventDocument[] = [];

  constructor(
    private readonly store: (documents: readonly AuditEventDocument[]) => Promise<WriteResult[]>,
    private readonly chain?: AccessChainOptions,
    private readonly log?: AccessAuditLog,
  ) {}

  /** The chain's name and its last stored link (seq 0 before the first record). */
  get head(): { chain: string; head: ChainHead } | undefined {
    return this.chain && { chain: this.chain.name, head: this.chainHead };
  }

  /** Resolves once the record is stored; rejects otherwise. */
  submit(document: AuditEventDocument): Promise<void> {
    return this.enqueue(document, false);
  }

  /**
   * For a record no answer waits on (an outcome, after the answer left): it takes its position
   * in the next bulk that goes out anyway, or in one of its own after LINGER_MS. Resolves once
   * stored, rejects otherwise, like `submit`.
   */
  submitLingering(document: AuditEventDocument): Promise<void> {
    return this.enqueue(document, true);
  }

  private enqueue(document: AuditEventDocument, lingers: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ document, lingers, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.flushing || this.waiting.length === 0) return;
    if (this.waiting.every((waiting) => waiting.lingers)) {
      this.lingering ??= setTimeout(() => this.flushNow(), LINGER_MS);
      return;
    }
    this.flushNow();
  }

  private flushNow(): void {
    clearTimeout(this.lingering);
    this.lingering = undefined;
    // A record submitted after the loop's last look, but before it was marked done, starts the next.
    this.flushing ??= this.flush().finally(() => {
      this.flushing = undefined;
      this.kick();
    });
  }

  /** Resolves when every record submitted so far has been written or refused (a stop waits for it). */
  async drain(): Promise<void> {
    while (this.flushing || this.waiting.length > 0) {
      if (!this.flushing) this.flushNow();
      await this.flushing;
    }
  }

  /**
   * Writes what waits now, then goes on while anyone waits for an answer; records that only linger
   * are left to kick, which times them, unless a record with a waiter takes them along.
   */
  private async flush(): Promise<void> {
    for (let first = true; first || this.waiting.some((waiting) => !waiting.lingers); first = false) {
      const batch = this.waiting.splice(0, MOST_IN_ONE_BULK);
      if (batch.length === 0) return;
      try {
        await this.write(batch);
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const waiting of batch) waiting.reject(failure);
      }
    }
  }

  private async write(batch: readonly Waiting[]): Promise<void> {
    const chain = this.chain;
    // Throws while their fate is still unknown: the new records then wait for none of it, unlinked.
    if (chain && this.unknownFate.length > 0) await this.settleUnknownFate(chain);
    let head = this.chainHead;
    const documents = batch.map(({ document }) => {
      if (!chain) return document;
      const link = nextLink(chain.name, head, document);
      head = { seq: link.seq, hash: link.hash };
      return withLink(document, link);
    });
    let results: WriteResult[];
    try {
      results = await this.store(documents);
    } catch (error) {
      if (chain) this.unknownFate = documents;
      throw error;
    }
    if (chain && results.some((result) => result.status === 'retryable')) {
      // A record refused with a 5xx or 429 may be stored all the same: a primary that indexed and
      // replicated it can die before answering (502 node_not_connected_exception), and the promoted
      // replica holds it. Its position is not given away: the bulk is sent again as written before
      // any new record takes a position, and its answers then say which records hold theirs.
      this.unknownFate = documents;
    } else {
      // Ids are random per request, so a conflict is this very record: Elasticsearch retried the
      // create on a promoted replica that already had it from the primary that died. It is stored,
      // at the position it was written with, like a created one.
      if (chain && !results.every(isStored)) head = await this.relinkStored(chain, documents, results);
      this.chainHead = head;
    }
    results.forEach((result, i) => {
      if (isStored(result)) batch[i].resolve();
      else {
        const reason = 'httpStatus' in result ? `${result.httpStatus} ${result.reason}` : result.status;
        batch[i].reject(new Error(`access record not stored: ${reason}`));
      }
    });
  }

  /**
   * Sends the records of a bulk without an answer again, with the links they were written with.
   * `create` by id makes the answer exact: created now, or a conflict because the first bulk
   * stored it after all, both mean it holds its position; refused for good means it never will.
   * Reading the chain's head back instead would race with a first bulk still held in
   * Elasticsearch, and a record landing after that read would share its position with a new one.
   */
  private async settleUnknownFate(chain: AccessChainOptions): Promise<void> {
    const documents = this.unknownFate;
    const results = await this.store(documents);
    const unknown = results.find((result) => result.status === 'retryable');
    if (unknown && 'reason' in unknown) {
      throw new Error(
        `earlier access records still of unknown fate: ${unknown.httpStatus} ${unknown.reason}`,
      );
    }
    const head = await this.relinkStored(chain, documents, results);
    this.unknownFate = [];
    this.chainHead = head;
  }

  /**
   * Gives the stored records of a bulk consecutive positions after the head, in the order written,
   * leaving none to the records that were not stored. Should the correction itself fail, the
   * links stay as written and the chain shows those positions as missing (which they are); that
   * is logged.
   */
  private async relinkStored(
    chain: AccessChainOptions,
    documents: readonly AuditEventDocument[],
    results: readonly WriteResult[],
  ): Promise<ChainHead> {
    let head = this.chainHead;
    const updates: AccessLinkUpdate[] = [];
    results.forEach((result, i) => {
      if (!isStored(result)) return;
      const link = nextLink(chain.name, head, documents[i]);
      head = { seq: link.seq, hash: link.hash };
      if (!sameLink(documents[i].cairn.integrity, link))
        updates.push({ index: (result as { index?: string }).index ?? '', id: documents[i].event.id, link });
    });
    if (updates.length === 0) return head;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await chain.relink(updates);
        return head;
      } catch (error) {
        if (attempt < RELINK_ATTEMPTS) continue;
        this.log?.error(
          { err: error, chain: chain.name, from: this.chainHead.seq + 1 },
          'access records stored but their chain links could not be corrected: verification will report the positions of the refused records as missing',
        );
        const last = documents.at(-1)!.cairn.integrity!;
        return { seq: last.seq, hash: last.hash };
      }
    }
  }
}
