import type { AuditEventDocument } from '@cairn/event-schema';
import { clientAddress, controlsOf, namespaceOf, resourceOf, summaryOf } from '../common/event-view';
import { severityLevel, TEN_POINT } from '../common/severity';

/** The attribute delimiter, declared in the header as LEEF 2.0 allows (hex, since a tab is invisible). */
const DELIMITER = '\t';
const DECLARED_DELIMITER = 'x09';

// A header field may not hold the pipe that ends it; the backslash escapes it (and itself).
const escapeHeader = (value: string) => value.replace(/[\\|]/g, (c) => `\\${c}`).replace(/[\r\n\t]+/g, ' ');

// LEEF has no escaping inside attribute values: the delimiter and line breaks become spaces.
const clean = (value: string) => value.replace(/[\t\r\n]+/g, ' ');

/**
 * IBM QRadar's Log Event Extended Format 2.0: `LEEF:2.0|Vendor|Product|Version|EventID|x09|` then
 * tab-separated key=value attributes. devTime is RFC 3339 with milliseconds, and says so in
 * devTimeFormat (a Java date pattern, as QRadar reads it).
 */
export function encodeLeef(document: AuditEventDocument): string {
  const header = [
    'LEEF:2.0',
    'Cairn',
    escapeHeader(document.cairn.product),
    escapeHeader(document.cairn.schema_version),
    escapeHeader(document.event.action),
    DECLARED_DELIMITER,
  ].join('|');
  const attributes: [string, string | number | undefined][] = [
    ['devTime', document['@timestamp']],
    ['devTimeFormat', "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"],
    ['cat', document.event.category?.join(',') ?? document.event.kind],
    ['sev', TEN_POINT[severityLevel(document)]],
    ['usrName', document.user?.name],
    ['src', clientAddress(document)],
    ['identHostName', document.host?.name],
    ['eventId', document.event.id],
    ['action', document.event.action],
    ['outcome', document.event.outcome],
    ['reason', document.event.reason],
    ['namespace', namespaceOf(document)],
    ['resource', resourceOf(document)],
    ['containerId', document.container?.id],
    ['cluster', document.orchestrator?.cluster?.name],
    ['controls', controlsOf(document).join(',') || undefined],
    ['userAgent', document.user_agent?.original],
    ['msg', summaryOf(document)],
  ];
  const pairs = attributes
    .filter((pair): pair is [string, string | number] => pair[1] !== undefined && pair[1] !== '')
    .map(([key, value]) => `${key}=${clean(String(value))}`);
  return `${header}|${pairs.join(DELIMITER)}`;
}
