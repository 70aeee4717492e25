import type { KeyObject } from 'node:crypto';
import type { AuditEventDocument } from '@cairn/event-schema';
import type { ChainLink } from './chain';
import { checkSignature, type SignatureCheck, type SignedCheckpoint } from './checkpoint';
import { checkRetentionSignature, type SignedRetentionStatement } from './retention-statement';
import { eventDigest, GENESIS_HASH, linkHash } from './event-digest';
import { FindingKind, type EventReference, type IntegrityFinding } from './findings';

/** An event as read back from the store, with where it was found. */
export interface StoredEvent {
  readonly id: string;
  readonly index: string;
  readonly document: AuditEventDocument;
}

export interface ChainVerifierOptions {
  readonly chain: string;
  /** Checkpoints of this chain inside the window, in any order (the anchor excluded). */
  readonly checkpoints: readonly SignedCheckpoint[];
  /** The newest checkpoint before the window: verification starts from its head (none: from the first link). */
  readonly anchor?: SignedCheckpoint;
  readonly trustedKeys: ReadonlyMap<string, KeyObject>;
  /** Signed before retention deleted an index: positions up to their `through` may be gone. */
  readonly retention?: readonly SignedRetentionStatement[];
  /** Longest allowed stretch between two checkpoints: longer is a CHECKPOINT_GAP. */
  readonly maxGapMs: number;
  /** An event this much older than the newest checkpoint, yet not covered by it, was inserted. */
  readonly coverToleranceMs: number;
  /** When the window ends at now: the stretch since the newest checkpoint counts too. */
  readonly now?: Date;
  /**
   * Whether a stretch since the newest checkpoint, up to now, is a gap (default). Not for an API
   * process's access chain: a process that is gone records nothing; its successor closes its chain.
   */
  readonly openEndIsGap?: boolean;
  readonly report: (finding: IntegrityFinding) => void;
}

interface Candidate extends StoredEvent {
  readonly link: ChainLink;
  readonly intact: boolean;
}

const reasonOf = (check: SignatureCheck, statement: SignedRetentionStatement) =>
  check === 'UNKNOWN_KEY'
    ? `names key ${statement.key}, which is not a trusted key`
    : check === 'INVALID'
      ? 'does not verify: its signature or content was changed'
      : `is signed for chain ${statement.chain}`;

const referenceOf = (event: StoredEvent, seq?: number): EventReference => ({
  id: event.id,
  index: event.index,
  seq,
});

function positionOf(document: AuditEventDocument): number[] | undefined {
  const position = document.cairn.position;
  return position ? [position.offset, position.item] : undefined;
}

function before(a: number[] | undefined, b: number[] | undefined): boolean {
  if (!a || !b) return false;
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

/**
 * Verifies one chain from events fed in seq order (several may share a seq): recomputes each
 * event's hash, follows every link, and holds the result against the chain's signed checkpoints.
 * It keeps one position in memory, so a chain of any length streams through it.
 */
export class ChainVerifier {
  private head?: { seq: number; hash: string };
  private lastSeq: number;
  private last?: Candidate;
  /** A link that does not follow its predecessor, judged once the next position is read. */
  private suspect?: { event: Candidate; before: Candidate; expectedPrev: string };
  private slot?: Candidate[];
  private findingsSinceCheckpoint = 0;
  private lastCheckpointSeq: number;
  private readonly heads = new Map<number, string>();
  /** Digests of checkpoints already reported as not verifying. */
  private readonly rejected = new Set<string>();
  private readonly newest?: SignedCheckpoint;
  verified = 0;
  /** Events after the newest checkpoint: not yet covered by a signature. */
  pending = 0;
  /** Positions not found that retention removed (at or below a signed retention statement's). */
  removed = 0;
  private readonly removedThrough: number;

  constructor(private readonly options: ChainVerifierOptions) {
    this.removedThrough = Math.max(0, ...(options.retention ?? []).map((s) => this.retained(s)));
    const anchor = options.anchor && this.validated(options.anchor) ? options.anchor : undefined;
    this.lastSeq = anchor?.seq ?? 0;
    this.lastCheckpointSeq = this.lastSeq;
    this.head = { seq: this.lastSeq, hash: anchor?.head ?? GENESIS_HASH };
    const valid = options.checkpoints.filter((checkpoint) => this.validated(checkpoint));
    for (const checkpoint of valid) this.heads.set(checkpoint.seq, checkpoint.head);
    this.newest = [...valid].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)).pop();
    // A checkpoint that does not verify is reported once and otherwise ignored: it proves nothing.
    this.checkTimeline(anchor, valid);
  }

  /** The next event, in seq order. */
  add(event: StoredEvent): void {
    const link = event.document.cairn.integrity;
    if (!link || link.chain !== this.options.chain || link.seq <= this.lastSeq) return;
    const intact = link.hash === linkHash(link.prev, eventDigest(event.document));
    const candidate: Candidate = { ...event, link, intact };
    if (this.slot && this.slot[0].link.seq === link.seq) {
      this.slot.push(candidate);
      return;
    }
    if (this.slot) this.resolve(this.slot, link.seq === this.slot[0].link.seq + 1 ? link.prev : undefined);
    this.slot = [candidate];
  }

  finish(): void {
    if (this.slot) this.resolve(this.slot, undefined);
    this.slot = undefined;
    if (this.suspect) this.rehashed(this.suspect.before, this.suspect.event.link.seq - 1);
    this.suspect = undefined;
    const counted = Math.max(0, ...this.heads.keys());
    if (counted > this.lastSeq) {
      this.missing(this.lastSeq + 1, counted, 'a signed checkpoint counts them');
    }
  }

  private validated(checkpoint: SignedCheckpoint): boolean {
    const check = checkSignature(checkpoint, this.options.trustedKeys);
    if (check === 'VALID') return true;
    this.rejected.add(checkpoint.digest);
    this.options.report({
      kind: FindingKind.BAD_SIGNATURE,
      chain: this.options.chain,
      checkpoint: checkpoint.digest,
      seqTo: checkpoint.seq,
      message:
        check === 'UNKNOWN_KEY'
          ? `checkpoint ${checkpoint.digest.slice(0, 16)} (seq ${checkpoint.seq}, ${checkpoint.at}) names key ${checkpoint.key}, which is not a trusted key`
          : `checkpoint ${checkpoint.digest.slice(0, 16)} (seq ${checkpoint.seq}, ${checkpoint.at}) does not verify: its signature or content was changed`,
    });
    return false;
  }

  /** The position a valid retention statement lets go up to; 0 for one that does not verify (a finding). */
  private retained(statement: SignedRetentionStatement): number {
    const check = checkRetentionSignature(statement, this.options.trustedKeys);
    if (check === 'VALID' && statement.chain === this.options.chain) return statement.through;
    this.options.report({
      kind: FindingKind.BAD_SIGNATURE,
      chain: this.options.chain,
      checkpoint: statement.digest,
      seqTo: statement.through,
      message: `retention statement ${statement.digest.slice(0, 16)} (through ${statement.through}, ${statement.index}, ${statement.at}) ${reasonOf(check, statement)}`,
    });
    return 0;
  }

  /** Consecutive checkpoints must follow each other (previous = digest) within the allowed stretch. */
  private checkTimeline(anchor: SignedCheckpoint | undefined, valid: readonly SignedCheckpoint[]): void {
    const { options } = this;
    const { chain, maxGapMs, now, report } = options;
    const sorted = [...valid].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    let previous = anchor;
    // A checkpoint may name any earlier one as previous: two processes holding a partition for a
    // moment during a rebalance each sign one after the same checkpoint. Only a previous that is
    // nowhere to be found means one is missing.
    const seen = new Set<string>(anchor ? [anchor.digest] : []);
    for (const checkpoint of sorted) {
      if (previous) {
        const stretch = Date.parse(checkpoint.at) - Date.parse(previous.at);
        // A stretch that ends in a close is the time the writer was gone, not a time it failed to
        // record: an API process's chain closed by its successor after it died (it could record nothing).
        if (stretch > maxGapMs && !checkpoint.closed) {
          report({
            kind: FindingKind.CHECKPOINT_GAP,
            chain,
            from: previous.at,
            to: checkpoint.at,
            seqFrom: previous.seq,
            seqTo: checkpoint.seq,
            message: `no checkpoint for ${Math.round(stretch / 1000)} s between ${previous.at} and ${checkpoint.at}: the writer was stopped`,
          });
        } else if (
          checkpoint.previous !== previous.digest &&
          !seen.has(checkpoint.previous ?? '') &&
          !this.rejected.has(checkpoint.previous ?? '')
        ) {
          report({
            kind: FindingKind.CHECKPOINT_GAP,
            chain,
            from: previous.at,
            to: checkpoint.at,
            checkpoint: checkpoint.digest,
            message: `checkpoint ${checkpoint.digest.slice(0, 16)} (${checkpoint.at}) does not follow the one before it (${previous.at}): a checkpoint between them is missing`,
          });
        }
      }
      previous = checkpoint;
      seen.add(checkpoint.digest);
    }
    // A closed chain's writer ended it on purpose: the time since is no stretch without a recorder.
    if (
      now &&
      previous &&
      !previous.closed &&
      options.openEndIsGap !== false &&
      now.getTime() - Date.parse(previous.at) > maxGapMs
    ) {
      report({
        kind: FindingKind.CHECKPOINT_GAP,
        chain,
        from: previous.at,
        to: now.toISOString(),
        seqFrom: previous.seq,
        message: `no checkpoint since ${previous.at}: the writer of this chain is stopped`,
      });
    }
  }

  private resolve(slot: Candidate[], nextPrev: string | undefined): void {
    const seq = slot[0].link.seq;
    if (seq > this.lastSeq + 1) {
      this.missing(this.lastSeq + 1, seq - 1, 'no event holds them');
      this.head = undefined;
    }
    const signedHead = this.heads.get(seq);
    const target = signedHead ?? nextPrev;
    const score = (c: Candidate) =>
      (c.intact ? 4 : 0) +
      (this.head && c.link.prev === this.head.hash ? 2 : 0) +
      (c.link.hash === target ? 1 : 0);
    const ranked = [...slot].sort((a, b) => score(b) - score(a));
    const [chosen, ...others] = ranked;
    for (const other of others) {
      this.finding({
        kind: FindingKind.INSERTED,
        events: [referenceOf(other, seq)],
        seqFrom: seq,
        seqTo: seq,
        message: `event ${other.id} claims chain position ${seq}, which event ${chosen.id} holds`,
      });
    }
    this.head = { seq, hash: this.check(chosen, seq) };
    this.lastSeq = seq;
    this.last = chosen;
    this.verified += 1;
    if (!this.newest) this.pending += 1;
    else if (seq > this.newest.seq) this.uncovered(chosen, seq);
    if (signedHead !== undefined) {
      if (signedHead !== chosen.link.hash && this.findingsSinceCheckpoint === 0) {
        this.finding({
          kind: FindingKind.MODIFIED,
          seqFrom: this.lastCheckpointSeq + 1,
          seqTo: seq,
          message: `positions ${this.lastCheckpointSeq + 1}–${seq} do not lead to the head a signed checkpoint recorded at ${seq}: they were rewritten`,
        });
      }
      this.lastCheckpointSeq = seq;
      this.findingsSinceCheckpoint = 0;
    }
  }

  /** Reports what is wrong with the chosen event; returns the hash the next position should link to. */
  private check(chosen: Candidate, seq: number): string {
    const previous = this.last;
    const suspect = this.suspect;
    this.suspect = undefined;
    if (suspect) {
      // Two neighbours that link to each other the wrong way round were swapped, not changed.
      if (chosen.link.prev === suspect.expectedPrev || chosen.link.hash === suspect.event.link.prev) {
        this.reordered(suspect.event, chosen, seq);
        // Of the swapped pair, the later one in chain order is the one the next link follows.
        return chosen.link.prev === suspect.expectedPrev ? suspect.event.link.hash : chosen.link.hash;
      }
      this.rehashed(suspect.before, seq - 2);
    }
    const adjacent = previous && previous.link.seq === seq - 1;
    if (!chosen.intact) {
      this.finding({
        kind: FindingKind.MODIFIED,
        events: [referenceOf(chosen, seq)],
        seqFrom: seq,
        seqTo: seq,
        message: `event ${chosen.id} at position ${seq} was changed after it was stored: its content no longer gives its hash`,
      });
    } else if (adjacent && before(positionOf(chosen.document), positionOf(previous.document))) {
      this.reordered(previous, chosen, seq);
    } else if (adjacent && this.head && chosen.link.prev !== this.head.hash) {
      // Decided at the next position: a swap shows there, a re-hashed predecessor does not.
      this.suspect = { event: chosen, before: previous, expectedPrev: this.head.hash };
    }
    return chosen.link.hash;
  }

  private reordered(first: Candidate, second: Candidate, seq: number): void {
    this.finding({
      kind: FindingKind.REORDERED,
      events: [referenceOf(first, seq - 1), referenceOf(second, seq)],
      seqFrom: seq - 1,
      seqTo: seq,
      message: `events ${first.id} and ${second.id} hold positions ${seq - 1} and ${seq} against the order they were chained in`,
    });
  }

  private rehashed(event: Candidate, seq: number): void {
    this.finding({
      kind: FindingKind.MODIFIED,
      events: [referenceOf(event, seq)],
      seqFrom: seq,
      seqTo: seq,
      message: `event ${event.id} at position ${seq} does not have the hash the next link recorded: it was changed and re-hashed`,
    });
  }

  private uncovered(event: Candidate, seq: number): void {
    const stored = Date.parse(event.document.event.ingested ?? '');
    const newestAt = Date.parse(this.newest!.at);
    if (this.newest!.closed) {
      this.finding({
        kind: FindingKind.INSERTED,
        events: [referenceOf(event, seq)],
        seqFrom: seq,
        seqTo: seq,
        message: `event ${event.id} claims position ${seq}, but the chain was closed at position ${this.newest!.seq} by its writer at ${this.newest!.at}`,
      });
    } else if (Number.isFinite(stored) && newestAt - stored > this.options.coverToleranceMs) {
      this.finding({
        kind: FindingKind.INSERTED,
        events: [referenceOf(event, seq)],
        seqFrom: seq,
        seqTo: seq,
        message: `event ${event.id} says it was stored at ${event.document.event.ingested}, but the checkpoint signed at ${this.newest!.at} ends at position ${this.newest!.seq}`,
      });
    } else {
      this.pending += 1;
    }
  }

  private missing(first: number, to: number, why: string): void {
    // Positions retention let go of are counted, not reported; those after them are findings.
    const from = Math.max(first, this.removedThrough + 1);
    this.removed += Math.max(0, Math.min(to, this.removedThrough) - first + 1);
    if (from > to) return;
    this.finding({
      kind: FindingKind.MISSING,
      seqFrom: from,
      seqTo: to,
      message:
        from === to
          ? `position ${from} is missing: ${why}`
          : `positions ${from}–${to} (${to - from + 1} events) are missing: ${why}`,
    });
  }

  private finding(finding: Omit<IntegrityFinding, 'chain'>): void {
    this.findingsSinceCheckpoint += 1;
    this.options.report({ chain: this.options.chain, ...finding });
  }
}
