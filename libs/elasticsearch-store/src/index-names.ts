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
