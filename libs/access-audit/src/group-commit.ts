import type { AuditEventDocument } from '@cairn/event-schema';
import type { WriteResult } from '@cairn/elasticsearch-store';
import { GENESIS, nextLink, withLink, type ChainHead, type ChainLink } from '@cairn/integrity';

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
  /** The last link stored in the chain, read back from the store (after a bulk whose fate is unknown). */
  readonly storedHead: (chain: string) => Promise<ChainHead>;
}

export interface AccessAuditLog {
  error(fields: object, message: string): void;
}

interface Waiting {
  readonly document: AuditEventDocument;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** Records arriving while a bulk is out wait for the next one, up to this many in it. */
const MOST_IN_ONE_BULK = 500;
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
  private chainHead: ChainHead = GENESIS;
  /** A bulk failed without an answer: it may have stored some records, so the head is read back first. */
  private headUncertain = false;

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
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ document, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    // A record submitted after the loop's last look, but before it was marked done, starts the next.
    this.flushing ??= this.flush().finally(() => {
      this.flushing = undefined;
      if (this.waiting.length > 0) this.kick();
    });
  }

  /** Resolves when every record submitted so far has been written or refused (a stop waits for it). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MOST_IN_ONE_BULK);
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
    if (chain && this.headUncertain) {
      const stored = await chain.storedHead(chain.name);
      if (stored.seq >= this.chainHead.seq) this.chainHead = stored;
      this.headUncertain = false;
    }
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
      this.headUncertain = true;
      throw error;
    }
    const created = results.flatMap((result, i) => (result.status === 'created' ? [i] : []));
    if (chain && created.length === 0)
      head = this.chainHead; // nothing took a position
    else if (chain && created.length < batch.length) {
      head = await this.relinkCreated(chain, documents, results, created);
    }
    this.chainHead = head;
    results.forEach((result, i) => {
      if (isStored(result)) batch[i].resolve();
      else {
        const reason = 'httpStatus' in result ? `${result.httpStatus} ${result.reason}` : result.status;
        batch[i].reject(new Error(`access record not stored: ${reason}`));
      }
    });
  }

  /**
   * Gives the records this bulk created consecutive positions after the head, leaving none to
   * the records that were not stored (a duplicate already holds a position from its first write).
   * Should the correction itself fail, the links stay as written and the chain shows those
   * positions as missing (which they are); that is logged.
   */
  private async relinkCreated(
    chain: AccessChainOptions,
    documents: readonly AuditEventDocument[],
    results: readonly WriteResult[],
    created: readonly number[],
  ): Promise<ChainHead> {
    let head = this.chainHead;
    const updates: AccessLinkUpdate[] = created.map((i) => {
      const link = nextLink(chain.name, head, documents[i]);
      head = { seq: link.seq, hash: link.hash };
      return { index: (results[i] as { index?: string }).index ?? '', id: documents[i].event.id, link };
    });
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
