import { PRODUCTS, SOURCE_KINDS, type Product, type SourceKind } from '@cairn/event-schema';
import type { SeverityLevel } from '@cairn/siem-formats';
import type { FeedFilter } from '../export/export-query';

/** The formats a syslog message can carry (RFC 5424 framing around one of them). */
export const SYSLOG_PAYLOADS = ['cef', 'leef', 'ecs', 'ocsf'] as const;
export type SyslogPayload = (typeof SYSLOG_PAYLOADS)[number];

export interface SyslogTarget {
  readonly transport: 'syslog';
  readonly host: string;
  readonly port: number;
  readonly format: SyslogPayload;
  /** TLS (RFC 5425) unless `tls: false` says plain TCP on purpose. */
  readonly tls:
    | false
    | {
        readonly caFile?: string;
        readonly certFile?: string;
        readonly keyFile?: string;
        readonly serverName?: string;
      };
  /** HOSTNAME for events that name no host. */
  readonly hostname?: string;
  readonly enterpriseNumber?: number;
}

export interface HecTarget {
  readonly transport: 'hec';
  /** The collector's base URL, e.g. https://splunk.example.com:8088 */
  readonly url: string;
  /** Environment variable holding the HEC token (or `<name>_FILE` naming a file with it). */
  readonly tokenEnv: string;
  readonly index?: string;
  /** Wait for indexer acknowledgement before committing (the token must have it enabled). */
  readonly ack: boolean;
  readonly caFile?: string;
}

export interface PushFeed {
  readonly name: string;
  readonly filter: FeedFilter;
  readonly target: SyslogTarget | HecTarget;
  /** feedStatus calls a feed STALLED when records wait and nothing was delivered for this long. */
  readonly stalledAfterSeconds: number;
}

export const DEFAULT_STALLED_AFTER_SECONDS = 300;

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const HOST = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]{1,253})$/;
const ENV_NAME = /^[A-Z_][A-Z0-9_]{0,127}$/;
const LEVELS: readonly SeverityLevel[] = ['informational', 'low', 'medium', 'high', 'critical'];
const FEED_KEYS = ['name', 'transport', 'filter', 'syslog', 'hec', 'stalledAfterSeconds'];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function unknownKeys(value: Json, allowed: readonly string[], path: string, problems: string[]): void {
  for (const key of Object.keys(value))
    if (!allowed.includes(key)) problems.push(`${path}.${key}: unknown key (${allowed.join(', ')})`);
}

function oneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  path: string,
  problems: string[],
): T[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    problems.push(`${path}: must be a list`);
    return undefined;
  }
  value.forEach((item: unknown, index) => {
    if (typeof item !== 'string' || !(allowed as readonly string[]).includes(item)) {
      problems.push(`${path}[${index}]: ${JSON.stringify(item)} is not one of ${allowed.join(', ')}`);
    }
  });
  return value as T[];
}

function filterOf(value: unknown, path: string, problems: string[]): FeedFilter {
  if (value === undefined) return {};
  if (!isObject(value)) {
    problems.push(`${path}: must be a mapping (products, sourceKinds, controls, minSeverity)`);
    return {};
  }
  unknownKeys(value, ['products', 'sourceKinds', 'controls', 'minSeverity'], path, problems);
  const controls = value.controls;
  if (
    controls !== undefined &&
    (!Array.isArray(controls) ||
      controls.some((c) => typeof c !== 'string' || !/^(PCI_DSS|HIPAA|GDPR):\S+/.test(c)))
  ) {
    problems.push(`${path}.controls: must be a list of FRAMEWORK:control (e.g. PCI_DSS:10.2.1.1)`);
  }
  const minSeverity = value.minSeverity;
  if (minSeverity !== undefined && !(LEVELS as readonly unknown[]).includes(minSeverity)) {
    problems.push(`${path}.minSeverity: one of ${LEVELS.join(', ')}`);
  }
  return {
    products: oneOf<Product>(value.products, PRODUCTS, `${path}.products`, problems),
    sourceKinds: oneOf<SourceKind>(value.sourceKinds, SOURCE_KINDS, `${path}.sourceKinds`, problems),
    controls: controls as string[] | undefined,
    minSeverity: minSeverity as SeverityLevel | undefined,
  };
}

function port(value: unknown, path: string, problems: string[]): number {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 65535)
    problems.push(`${path}: a port number`);
  return value as number;
}

function optionalString(value: Json, key: string, path: string, problems: string[]): string | undefined {
  const found = value[key];
  if (found !== undefined && (typeof found !== 'string' || found.length === 0))
    problems.push(`${path}.${key}: must be a non-empty string`);
  return found as string | undefined;
}

function syslogOf(value: unknown, path: string, problems: string[]): SyslogTarget {
  const target = isObject(value) ? value : {};
  if (!isObject(value))
    problems.push(`${path}: must be a mapping (host, port, format, tls, hostname, enterpriseNumber)`);
  unknownKeys(target, ['host', 'port', 'format', 'tls', 'hostname', 'enterpriseNumber'], path, problems);
  if (typeof target.host !== 'string' || !HOST.test(target.host))
    problems.push(`${path}.host: a host name or address`);
  const format = target.format ?? 'cef';
  if (!(SYSLOG_PAYLOADS as readonly unknown[]).includes(format))
    problems.push(`${path}.format: one of ${SYSLOG_PAYLOADS.join(', ')}`);
  let tls: SyslogTarget['tls'] = {};
  if (target.tls === false) tls = false;
  else if (target.tls !== undefined && !isObject(target.tls))
    problems.push(`${path}.tls: a mapping (caFile, certFile, keyFile, serverName) or false`);
  else if (isObject(target.tls)) {
    unknownKeys(target.tls, ['caFile', 'certFile', 'keyFile', 'serverName'], `${path}.tls`, problems);
    tls = {
      caFile: optionalString(target.tls, 'caFile', `${path}.tls`, problems),
      certFile: optionalString(target.tls, 'certFile', `${path}.tls`, problems),
      keyFile: optionalString(target.tls, 'keyFile', `${path}.tls`, problems),
      serverName: optionalString(target.tls, 'serverName', `${path}.tls`, problems),
    };
    if ((tls.certFile === undefined) !== (tls.keyFile === undefined))
      problems.push(`${path}.tls: certFile and keyFile go together`);
  }
  const enterpriseNumber = target.enterpriseNumber;
  if (
    enterpriseNumber !== undefined &&
    (!Number.isInteger(enterpriseNumber) || (enterpriseNumber as number) < 1)
  ) {
    problems.push(`${path}.enterpriseNumber: a private enterprise number (a positive whole number)`);
  }
  return {
    transport: 'syslog',
    host: target.host as string,
    port: port(target.port, `${path}.port`, problems),
    format: format as SyslogPayload,
    tls,
    hostname: optionalString(target, 'hostname', path, problems),
    enterpriseNumber: enterpriseNumber as number | undefined,
  };
}

function hecOf(value: unknown, path: string, problems: string[]): HecTarget {
  const target = isObject(value) ? value : {};
  if (!isObject(value)) problems.push(`${path}: must be a mapping (url, tokenEnv, index, ack, caFile)`);
  unknownKeys(target, ['url', 'tokenEnv', 'index', 'ack', 'caFile'], path, problems);
  if (typeof target.url !== 'string' || !/^https?:\/\/[^\s/?#]+(?::\d{1,5})?\/?$/.test(target.url)) {
    problems.push(`${path}.url: the collector's base URL, e.g. https://splunk.example.com:8088`);
  }
  if (typeof target.tokenEnv !== 'string' || !ENV_NAME.test(target.tokenEnv)) {
    problems.push(
      `${path}.tokenEnv: the name of the environment variable holding the HEC token (never the token)`,
    );
  }
  if (target.ack !== undefined && typeof target.ack !== 'boolean')
    problems.push(`${path}.ack: true or false`);
  return {
    transport: 'hec',
    url: String(target.url).replace(/\/$/, ''),
    tokenEnv: target.tokenEnv as string,
    index: optionalString(target, 'index', path, problems),
    ack: target.ack === true,
    caFile: optionalString(target, 'caFile', path, problems),
  };
}

/** CAIRN_CONFIG's `feeds:` list; every problem named by its path (feeds[0].syslog.port). */
export function parseFeedsSection(section: unknown, problems: string[]): PushFeed[] {
  if (section === undefined || section === null) return [];
  if (!Array.isArray(section)) {
    problems.push('feeds: must be a list of feeds');
    return [];
  }
  const names = new Set<string>();
  return section.map((entry: unknown, index) => {
    const path = `feeds[${index}]`;
    const feed = isObject(entry) ? entry : {};
    if (!isObject(entry)) problems.push(`${path}: must be a mapping (${FEED_KEYS.join(', ')})`);
    unknownKeys(feed, FEED_KEYS, path, problems);
    const name = feed.name;
    if (typeof name !== 'string' || !NAME.test(name))
      problems.push(`${path}.name: lower-case letters, digits and "-", at most 63`);
    else if (names.has(name)) problems.push(`${path}.name: ${name} is used twice`);
    else names.add(name);
    const transport = feed.transport;
    let target: SyslogTarget | HecTarget;
    if (transport === 'syslog') target = syslogOf(feed.syslog, `${path}.syslog`, problems);
    else if (transport === 'hec') target = hecOf(feed.hec, `${path}.hec`, problems);
    else {
      problems.push(`${path}.transport: syslog or hec`);
      target = { transport: 'hec', url: '', tokenEnv: '', ack: false };
    }
    const filter = filterOf(feed.filter, `${path}.filter`, problems);
    const stalledAfterSeconds = feed.stalledAfterSeconds ?? DEFAULT_STALLED_AFTER_SECONDS;
    if (
      !Number.isInteger(stalledAfterSeconds) ||
      (stalledAfterSeconds as number) < 10 ||
      (stalledAfterSeconds as number) > 7 * 86_400
    )
      problems.push(`${path}.stalledAfterSeconds: whole seconds from 10 to 604800 (a week)`);
    return {
      name: name as string,
      filter,
      target,
      stalledAfterSeconds: stalledAfterSeconds as number,
    };
  });
}
