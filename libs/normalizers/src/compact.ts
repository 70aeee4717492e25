type Plain = Record<string, unknown>;

/**
 * Drops undefined values, empty strings, empty arrays and objects left empty, so a stored event
 * says nothing about what its source did not say.
 */
export function compact<T extends object>(value: T): T {
  const out: Plain = {};
  for (const [key, item] of Object.entries(value) as [string, unknown][]) {
    if (item === undefined || item === null || item === '') continue;
    if (Array.isArray(item)) {
      if (item.length > 0) out[key] = item;
    } else if (typeof item === 'object') {
      const inner = compact(item);
      if (Object.keys(inner).length > 0) out[key] = inner;
    } else {
      out[key] = item;
    }
  }
  return out as T;
}
