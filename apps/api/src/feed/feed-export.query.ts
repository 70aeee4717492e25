import { PRODUCTS, SOURCE_KINDS, type Product, type SourceKind } from '@cairn/event-schema';
import type { FeedFilter } from '@cairn/feed';
import { SIEM_FORMATS, isSiemFormat, type SeverityLevel, type SiemFormat } from '@cairn/siem-formats';

export const MAX_EXPORT_LIMIT = 5000;
const DEFAULT_LIMIT = 1000;
const LEVELS: readonly SeverityLevel[] = ['informational', 'low', 'medium', 'high', 'critical'];
const CONTROL = /^(PCI_DSS|HIPAA|GDPR):[A-Za-z0-9.()\s-]{1,40}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const KNOWN = ['format', 'after', 'limit', 'products', 'sourceKinds', 'controls', 'minSeverity', 'from'];

export interface ExportRequest {
  readonly format: SiemFormat;
  readonly after?: string;
  readonly limit: number;
  readonly filter: FeedFilter;
}

/** Lists come comma-separated, or as the parameter repeated. */
function split(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]).flatMap((part) => String(part).split(','));
}

/** Each value must be one of `allowed`. */
function list<T extends string>(
  value: unknown,
  name: string,
  allowed: readonly T[],
  problems: string[],
): T[] | undefined {
  const values = split(value);
  if (values === undefined) return undefined;
  const bad = values.filter((v) => !(allowed as readonly string[]).includes(v));
  if (bad.length > 0)
    problems.push(
      `${name}: ${bad.map((v) => JSON.stringify(v)).join(', ')} not one of ${allowed.join(', ')}`,
    );
  return values as T[];
}

function single(query: Record<string, unknown>, name: string, problems: string[]): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    problems.push(`${name}: give it once`);
    return undefined;
  }
  return value;
}

/** Reads the export's query string; every problem names its parameter (answered BAD_USER_INPUT). */
export function parseExportQuery(raw: unknown): ExportRequest | { problems: string[] } {
  const query = (raw ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  for (const name of Object.keys(query))
    if (!KNOWN.includes(name)) problems.push(`${name}: unknown parameter (${KNOWN.join(', ')})`);
  const format = single(query, 'format', problems);
  if (format === undefined || !isSiemFormat(format)) {
    problems.push(`format: required, one of ${SIEM_FORMATS.join(', ')}`);
  }
  const after = single(query, 'after', problems);
  if (after !== undefined && (after.length === 0 || after.length > 400_000))
    problems.push('after: not a feed cursor');
  const limitText = single(query, 'limit', problems);
  const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
  if (
    !/^\d{1,5}$/.test(limitText ?? '1') ||
    !Number.isInteger(limit) ||
    limit < 1 ||
    limit > MAX_EXPORT_LIMIT
  ) {
    problems.push(`limit: a whole number from 1 to ${MAX_EXPORT_LIMIT}`);
  }
  const products = list<Product>(query.products, 'products', PRODUCTS, problems);
  const sourceKinds = list<SourceKind>(query.sourceKinds, 'sourceKinds', SOURCE_KINDS, problems);
  const controls = split(query.controls);
  for (const control of controls ?? []) {
    if (!CONTROL.test(control))
      problems.push(`controls: ${JSON.stringify(control)} is not FRAMEWORK:control (e.g. PCI_DSS:10.2.1.1)`);
  }
  const minSeverity = single(query, 'minSeverity', problems);
  if (minSeverity !== undefined && !(LEVELS as readonly string[]).includes(minSeverity)) {
    problems.push(`minSeverity: one of ${LEVELS.join(', ')}`);
  }
  const fromText = single(query, 'from', problems);
  const from = fromText === undefined ? undefined : new Date(fromText);
  if (fromText !== undefined && (!RFC3339.test(fromText) || Number.isNaN(from!.getTime()))) {
    problems.push('from: an RFC 3339 date-time, e.g. 2026-05-01T00:00:00Z');
  }
  if (problems.length > 0) return { problems };
  return {
    format: format as SiemFormat,
    after,
    limit,
    filter: { products, sourceKinds, controls, minSeverity: minSeverity as SeverityLevel | undefined, from },
  };
}
