/** A monthly index name's month: `<prefix>-YYYY.MM`. */
const MONTH = /-(\d{4})\.(\d{2})$/;

/**
 * The monthly indices whose every event is older than the retention: the month ended at or
 * before `now - days`. Whole months only, so an index is kept while any day of it is inside the
 * retention (retention is by deleting indices, never documents).
 */
export function expiredMonths(indices: readonly string[], now: Date, days: number): string[] {
  const cutoff = now.getTime() - days * 86_400_000;
  return indices
    .filter((index) => {
      const match = MONTH.exec(index);
      if (!match) return false;
      const monthEnd = Date.UTC(Number(match[1]), Number(match[2]), 1);
      return monthEnd <= cutoff;
    })
    .sort();
}
