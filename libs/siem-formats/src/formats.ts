import type { AuditEventDocument } from '@cairn/event-schema';
import { encodeCef } from './cef/cef.encoder';
import { encodeEcs } from './ecs/ecs.encoder';
import { encodeHec, type HecOptions } from './hec/hec.encoder';
import { encodeLeef } from './leef/leef.encoder';
import { encodeOcsf } from './ocsf/ocsf.encoder';

/** The forms a stored event can be delivered in (syslog is a framing of cef, leef or json). */
export const SIEM_FORMATS = ['ecs', 'ocsf', 'cef', 'leef', 'hec'] as const;
export type SiemFormat = (typeof SIEM_FORMATS)[number];

export interface EncodeOptions {
  readonly hec?: HecOptions;
}

export interface FormatSpec {
  /** One event, as one line: JSON without line breaks, or a CEF/LEEF record. */
  encode(document: AuditEventDocument, options?: EncodeOptions): string;
  /** Of a response holding one encoded event per line. */
  readonly contentType: string;
  /**
   * The encoding is the stored document's JSON itself, so a caller holding the stored bytes may
   * hand them on unparsed (on one line, with the same members as the document it would encode).
   */
  readonly isStoredJson?: true;
}

export const FORMATS: Readonly<Record<SiemFormat, FormatSpec>> = {
  ecs: { encode: encodeEcs, contentType: 'application/x-ndjson; charset=utf-8', isStoredJson: true },
  ocsf: { encode: encodeOcsf, contentType: 'application/x-ndjson; charset=utf-8' },
  hec: {
    encode: (document, options) => encodeHec(document, options?.hec),
    contentType: 'application/x-ndjson; charset=utf-8',
  },
  cef: { encode: encodeCef, contentType: 'text/plain; charset=utf-8' },
  leef: { encode: encodeLeef, contentType: 'text/plain; charset=utf-8' },
};

export function isSiemFormat(value: string): value is SiemFormat {
  return (SIEM_FORMATS as readonly string[]).includes(value);
}
