/** Monthly indices by the event's own timestamp (UTC), so retention is deleting whole months. */
export function monthlyIndexName(prefix: string, timestamp: string): string {
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) throw new Error(`not a timestamp: ${timestamp}`);
  const month = String(date.getUTCMonth() + 1).padStart(2, '0');
  return `${prefix}-${date.getUTCFullYear()}.${month}`;
}

/** Every monthly index is read through one alias named after the prefix. */
export function readAlias(prefix: string): string {
  return prefix;
}

export function indexPattern(prefix: string): string {
  return `${prefix}-*`;
}

/**
 * One index (outside the monthly pattern, so no search reads it) where each event id is claimed
 * once, with its month and content fingerprint: what makes an id unique across months.
 */
export function identityIndexName(prefix: string): string {
  return `${prefix}.identities`;
}

/** Above this many months a search reads the alias: a list that long saves little and costs a long URL. */
export const MAX_LISTED_MONTHS = 36;

/**
 * The indices a search over `from`..`to` (to exclusive) reads: the monthly indices the range can
 * touch, or the read alias (every month) when the range is open at the start or spans more than
 * MAX_LISTED_MONTHS. Open at the end, the range ends with next month (events may be a little
 * ahead of the clock). Missing months are fine: searches pass ignore_unavailable.
 */
export function indicesFor(
  prefix: string,
  range: { from?: Date; to?: Date },
  now: Date = new Date(),
): string {
  if (!range.from) return readAlias(prefix);
  const end = range.to ?? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 1));
  const last = new Date(end.getTime() - 1);
  let year = range.from.getUTCFullYear();
  let month = range.from.getUTCMonth();
  const months = (last.getUTCFullYear() - year) * 12 + (last.getUTCMonth() - month) + 1;
  if (months <= 0) return monthlyIndexName(prefix, range.from.toISOString());
  if (months > MAX_LISTED_MONTHS) return readAlias(prefix);
  const names: string[] = [];
  for (let i = 0; i < months; i += 1) {
    names.push(`${prefix}-${year}.${String(month + 1).padStart(2, '0')}`);
    month += 1;
    if (month === 12) {
      month = 0;
      year += 1;
    }
  }
  return names.join(',');
}

/** Where paging handles keep their point-in-time ids (see PagingRegistry); outside the read alias. */
export function pagingIndexName(prefix: string): string {
  return `${prefix}.pagings`;
}
