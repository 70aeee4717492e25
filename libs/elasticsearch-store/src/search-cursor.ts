import type { FieldValue } from '@elastic/elasticsearch/lib/api/types';

export class InvalidCursorError extends Error {
  constructor() {
    super('invalid cursor');
    this.name = 'InvalidCursorError';
  }
}

/** Opaque to clients: the sort values of the last hit (timestamp millis, event id). */
export function encodeCursor(sortValues: readonly FieldValue[]): string {
  return Buffer.from(JSON.stringify(sortValues)).toString('base64url');
}

/** Accepts only the exact shape encodeCursor produces; anything else is refused, never passed on. */
export function decodeCursor(cursor: string): [number | string, string] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    !(typeof parsed[0] === 'number' || (typeof parsed[0] === 'string' && /^\d{1,16}$/.test(parsed[0]))) ||
    typeof parsed[1] !== 'string' ||
    !/^[0-9a-f]{64}$/.test(parsed[1])
  ) {
    throw new InvalidCursorError();
  }
  return [parsed[0], parsed[1]];
}
