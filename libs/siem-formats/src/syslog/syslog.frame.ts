import type { AuditEventDocument } from '@cairn/event-schema';
import { controlsOf } from '../common/event-view';
import { severityLevel, SYSLOG_SEVERITY } from '../common/severity';

export interface SyslogOptions {
  /** HOSTNAME when the event names no host: the machine Cairn runs on. */
  readonly hostname: string;
  /** RFC 5424 facility; 13 is "log audit". */
  readonly facility?: number;
  /**
   * The private enterprise number of the structured-data id. Cairn has none registered, so the
   * default is 32473, the number RFC 5612 reserves for documentation; set your own.
   */
  readonly enterpriseNumber?: number;
}

// PRINTUSASCII without space, at most the given length (RFC 5424 HOSTNAME, APP-NAME, MSGID).
const header = (value: string | undefined, max: number) => {
  const printable = (value ?? '').replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return printable === '' ? '-' : printable;
};

// Inside a PARAM-VALUE, '"', '\' and ']' are escaped with a backslash.
const paramValue = (value: string) => value.replace(/["\\\]]/g, (c) => `\\${c}`);

/**
 * One RFC 5424 message carrying `payload` (a CEF, LEEF or JSON encoding of the event), with
 * Cairn's identity of the event as structured data, framed by octet counting (RFC 6587 §3.4.1:
 * the byte length, a space, the message), which RFC 5425 requires over TLS.
 */
export function frameSyslog(document: AuditEventDocument, payload: string, options: SyslogOptions): string {
  const facility = options.facility ?? 13;
  const priority = facility * 8 + SYSLOG_SEVERITY[severityLevel(document)];
  const sdId = `cairn@${options.enterpriseNumber ?? 32473}`;
  const params: [string, string][] = [
    ['id', document.event.id],
    ['product', document.cairn.product],
    ['action', document.event.action],
    ['outcome', document.event.outcome],
  ];
  const controls = controlsOf(document);
  if (controls.length > 0) params.push(['controls', controls.join(',')]);
  const structuredData = `[${sdId} ${params.map(([name, value]) => `${name}="${paramValue(value)}"`).join(' ')}]`;
  const message = [
    `<${priority}>1`,
    document['@timestamp'],
    header(document.host?.name ?? options.hostname, 255),
    'cairn',
    '-',
    header(document.cairn.product, 32),
    structuredData,
    payload.replace(/\r?\n/g, ' '),
  ].join(' ');
  return `${Buffer.byteLength(message, 'utf8')} ${message}`;
}
