import type { AuditEventDocument, Product, SourceKind } from '@cairn/event-schema';

/** What a normalizer may know besides the raw event; passed in so normalizers stay pure. */
export interface NormalizeContext {
  /** The raw event as received (UTF-8), kept as event.original. */
  readonly rawText: string;
  /** The ingest clock, for event.ingested. */
  readonly receivedAt: Date;
  /** The nesting limit for JSON an envelope carries as text (default: the decoder's). */
  readonly maxDepth?: number;
}

/** One source format. Throws CairnEventError for input it recognizes but cannot accept. */
export interface SourceNormalizer {
  readonly product: Product;
  readonly sourceKind: SourceKind;
  canHandle(raw: unknown): boolean;
  normalize(raw: unknown, context: NormalizeContext): AuditEventDocument[];
}
