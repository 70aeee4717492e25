import type { StoredHit } from './stored-hits';
import type { AuditEventDocument } from '@cairn/event-schema';
import { ByteSink, hasLineBreak, writeWithoutPaths, type MemberPath } from '@cairn/json-bytes';
import { FORMATS, type EncodeOptions, type SiemFormat } from '@cairn/siem-formats';

const NEWLINE = 0x0a;

export interface ExportEncodingOptions {
  /** The fields the caller may not read, as member paths (`['event', 'original']`). */
  readonly unreadable: readonly MemberPath[];
  /** The document without those fields, for encoders that need the parsed document. */
  readonly readable: (document: AuditEventDocument) => AuditEventDocument;
  readonly encode?: EncodeOptions;
}

/**
 * An export page's body: one encoded event per line. A format that is the stored JSON itself
 * copies each hit's bytes less the unreadable members, which spares parsing and re-serializing
 * every document (most of the export's cost); a document whose bytes cannot be copied safely
 * (a line break between its members, a key written with escapes) is encoded from its parsed
 * form like any other format's.
 */
export function encodeExportPage(
  hits: readonly StoredHit[],
  format: SiemFormat,
  options: ExportEncodingOptions,
): Buffer {
  const spec = FORMATS[format];
  const storedBytes = hits.reduce((sum, hit) => sum + hit.sourceEnd - hit.sourceStart + 1, 0);
  const sink = new ByteSink(spec.isStoredJson ? storedBytes : hits.length * 1024);
  for (const hit of hits) {
    const copied =
      spec.isStoredJson === true &&
      !hasLineBreak(hit.body, hit.sourceStart, hit.sourceEnd) &&
      writeWithoutPaths(sink, hit.body, hit.source, options.unreadable);
    if (!copied) sink.text(spec.encode(options.readable(hit.document<AuditEventDocument>()), options.encode));
    sink.byte(NEWLINE);
  }
  return sink.bytes();
}
