import { isIP } from 'node:net';
import type { AuditEventDocument } from '@cairn/event-schema';
import {
  clientAddress,
  controlsOf,
  epochMillis,
  namespaceOf,
  resourceOf,
  summaryOf,
} from '../common/event-view';
import { severityLevel, TEN_POINT } from '../common/severity';

// Header fields escape the backslash and the pipe; a header cannot hold a line break.
const escapeHeader = (value: string) => value.replace(/[\\|]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');

// Extension values escape the backslash and the equals sign, and carry line breaks as \n and \r.
const escapeValue = (value: string) =>
  value.replace(/[\\=]/g, (c) => `\\${c}`).replace(/[\r\n]/g, (c) => (c === '\r' ? '\\r' : '\\n'));

/**
 * CEF's length limits (rev. 23, as ArcSight and ParCEFone enforce them), in characters before
 * escaping; a longer value is cut and ends in "…", so a strict parser takes the line.
 */
const MAX_LENGTH: Readonly<Record<string, number>> = {
  act: 63,
  outcome: 63,
  dvchost: 100,
  externalId: 40,
  flexString1: 1023,
  cs1: 4000,
  cs2: 4000,
  cs3: 4000,
  cs4: 4000,
  cs5: 4000,
  cs6: 4000,
};
const DEFAULT_MAX_LENGTH = 1023;

function fit(key: string, value: string): string {
  const max = MAX_LENGTH[key] ?? DEFAULT_MAX_LENGTH;
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

/** Custom strings, always with their label, so a SIEM can name the column. */
const CUSTOM_STRINGS = [
  ['cs1', 'namespace', namespaceOf],
  ['cs2', 'resource', resourceOf],
  ['cs3', 'controls', (document: AuditEventDocument) => controlsOf(document).join(',') || undefined],
  ['cs4', 'containerId', (document: AuditEventDocument) => document.container?.id],
  ['cs5', 'image', imageOf],
  ['cs6', 'cluster', (document: AuditEventDocument) => document.orchestrator?.cluster?.name],
] as const;

function imageOf(document: AuditEventDocument): string | undefined {
  const image = document.container?.image;
  if (!image?.name) return undefined;
  return image.tag ? `${image.name}:${image.tag}` : image.name;
}

/**
 * ArcSight Common Event Format, version 0: `CEF:0|Vendor|Product|Version|SignatureID|Name|Severity|`
 * then space-separated key=value extensions. The signature id is Cairn's action; `src` is only an
 * IPv4 address in CEF, so an IPv6 client goes in `c6a2`.
 */
export function encodeCef(document: AuditEventDocument): string {
  const header = [
    'CEF:0',
    'Cairn',
    document.cairn.product,
    document.cairn.schema_version,
    document.event.action,
    summaryOf(document),
    String(TEN_POINT[severityLevel(document)]),
  ]
    .map((field, index) => (index === 0 ? field : escapeHeader(field)))
    .join('|');
  const extension: [string, string | number | undefined][] = [
    ['rt', epochMillis(document)],
    // CEF caps externalId at 40 characters: the id's first 160 bits there, the whole id beside it.
    ['externalId', document.event.id.slice(0, 40)],
    ['flexString1Label', 'eventId'],
    ['flexString1', document.event.id],
    ['act', document.event.action],
    ['outcome', document.event.outcome],
    ['cat', document.event.category?.join(',')],
    ['suser', document.user?.name],
    ['suid', document.user?.id],
    ...addressPair(clientAddress(document)),
    ['requestClientApplication', document.user_agent?.original],
    ['requestMethod', document.http?.request?.method],
    ['request', document.url?.original],
    ['dvchost', document.host?.name],
    ['sproc', document.process?.name],
    ['reason', document.event.reason],
    ['msg', document.message],
  ];
  for (const [key, label, read] of CUSTOM_STRINGS) {
    const value = read(document);
    if (value !== undefined) extension.push([`${key}Label`, label], [key, value]);
  }
  const pairs = extension
    .filter((pair): pair is [string, string | number] => pair[1] !== undefined && pair[1] !== '')
    .map(([key, value]) => `${key}=${escapeValue(fit(key, String(value)))}`);
  return `${header}|${pairs.join(' ')}`;
}

function addressPair(address: string | undefined): [string, string | undefined][] {
  if (address === undefined) return [];
  if (isIP(address) === 6)
    return [
      ['c6a2Label', 'sourceAddress'],
      ['c6a2', address],
    ];
  return [['src', address]];
}
