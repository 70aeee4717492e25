/** Keys spelled as their values: GraphQL names an enum's values by its keys. */
export enum FindingKind {
  /** An event's content (or its link) is not what was chained: changed after it was stored. */
  MODIFIED = 'MODIFIED',
  /** Positions of a chain with no event: deleted, or never stored although a checkpoint counts them. */
  MISSING = 'MISSING',
  /** An event with no valid position: no link, a second event on a taken position, or one no checkpoint covers. */
  INSERTED = 'INSERTED',
  /** Events whose chain order contradicts the order they were read from their source. */
  REORDERED = 'REORDERED',
  /** A checkpoint whose signature, digest or key does not verify. */
  BAD_SIGNATURE = 'BAD_SIGNATURE',
  /** A stretch with no checkpoint, or a checkpoint missing between two: the writer was stopped. */
  CHECKPOINT_GAP = 'CHECKPOINT_GAP',
}

export interface EventReference {
  readonly id: string;
  readonly index: string;
  readonly seq?: number;
}

export interface IntegrityFinding {
  readonly kind: FindingKind;
  readonly chain: string;
  /** A sentence saying what was found. */
  readonly message: string;
  readonly seqFrom?: number;
  readonly seqTo?: number;
  readonly events?: readonly EventReference[];
  /** The checkpoint concerned (its digest). */
  readonly checkpoint?: string;
  /** For gaps: the stretch without a checkpoint. */
  readonly from?: string;
  readonly to?: string;
}
