import type { ApiRole } from './api-tokens';
import { ApiErrorCode, apiError } from './api-error';

/**
 * Stored fields not every role may see, and every way the API could reveal them: reading the
 * field, filtering by it (a filter that matches tells the value), grouping by it. A role that may
 * not read a field may do none of the three. Fields not listed here every role may use; sorting
 * is by time alone (and event id as tie-breaker), which every role may read.
 */
export interface RestrictedField {
  /** The stored field, as in the field catalog. */
  readonly field: string;
  readonly roles: readonly ApiRole[];
  /** GraphQL fields that return it, as Type.field. */
  readonly reads: readonly string[];
  /** EventFilter inputs that match on it. */
  readonly filters: readonly string[];
  /** StatsField names (GraphQL) that group by it; the check itself goes by `field`. */
  readonly aggregations: readonly string[];
}

const INVESTIGATORS: readonly ApiRole[] = ['admin', 'investigator'];
// A SIEM correlates by address; it is given the normalized event, not the raw source bytes.
const ADDRESS_READERS: readonly ApiRole[] = ['admin', 'investigator', 'siem'];

export const RESTRICTED_FIELDS: readonly RestrictedField[] = [
  {
    // The raw source event repeats everything, client addresses and request bodies included.
    field: 'event.original',
    roles: INVESTIGATORS,
    reads: ['AuditEvent.original'],
    filters: [],
    aggregations: [],
  },
  {
    // Client addresses are personal data: auditors count and review events without them.
    field: 'source.ip',
    roles: ADDRESS_READERS,
    reads: ['Actor.sourceIps'],
    filters: ['sourceIp'],
    aggregations: ['SOURCE_IP'],
  },
];

const refused = (what: string) => apiError(ApiErrorCode.Forbidden, `your role may not read ${what}`);

function restrictionOf(kind: 'reads' | 'filters' | 'aggregations', name: string) {
  return RESTRICTED_FIELDS.find((restricted) => restricted[kind].includes(name));
}

export function mayUse(role: ApiRole | undefined, kind: 'reads' | 'filters' | 'aggregations', name: string) {
  const restriction = restrictionOf(kind, name);
  return restriction === undefined || (role !== undefined && restriction.roles.includes(role));
}

/** Throws FORBIDDEN when `role` may not read `Type.field`. */
export function assertMayRead(role: ApiRole | undefined, graphqlField: string): void {
  if (!mayUse(role, 'reads', graphqlField)) refusedFor(graphqlField);
}

/** Throws FORBIDDEN naming the first set filter input that matches on a field `role` may not read. */
export function assertMayFilter(role: ApiRole | undefined, filter: object | undefined): void {
  if (!filter) return;
  for (const [name, value] of Object.entries(filter)) {
    if (value !== undefined && value !== null && !mayUse(role, 'filters', name)) refusedFor(`filter.${name}`);
  }
}

/**
 * Throws FORBIDDEN when `role` may not read the stored field an aggregation groups by: decided by
 * the stored field itself, so any new way of grouping by it is covered too.
 */
export function assertMayAggregate(role: ApiRole | undefined, storedField: string): void {
  const restriction = RESTRICTED_FIELDS.find((restricted) => restricted.field === storedField);
  if (restriction && !(role !== undefined && restriction.roles.includes(role))) {
    refusedFor(`eventStats by ${storedField}`);
  }
}

function refusedFor(what: string): never {
  throw refused(what);
}

/**
 * The stored document without the fields `role` may not read (for answers that hand out whole
 * documents, such as the feed export): decided by the same table as every other way in.
 */
export function readableBy<T extends object>(role: ApiRole | undefined, document: T): T {
  let result = document;
  for (const restriction of RESTRICTED_FIELDS) {
    if (role !== undefined && restriction.roles.includes(role)) continue;
    result = withoutPath(result, restriction.field.split('.'));
  }
  return result;
}

function withoutPath<T extends object>(value: T, path: readonly string[]): T {
  const [head, ...rest] = path;
  const record = value as Record<string, unknown>;
  if (!(head in record)) return value;
  const { [head]: inner, ...others } = record;
  if (rest.length === 0) return others as T;
  if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return value;
  const trimmed = withoutPath(inner, rest);
  if (trimmed === inner) return value;
  return { ...others, ...(Object.keys(trimmed).length > 0 && { [head]: trimmed }) } as T;
}

/** The stored fields `role` may not read, as member paths (for answers cut from stored bytes). */
export function unreadablePaths(role: ApiRole | undefined): string[][] {
  return RESTRICTED_FIELDS.filter(
    (restriction) => !(role !== undefined && restriction.roles.includes(role)),
  ).map((restriction) => restriction.field.split('.'));
}
