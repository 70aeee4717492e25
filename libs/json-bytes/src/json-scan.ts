/**
 * Finding the extent of JSON values in bytes without building them: enough structure to copy a
 * stored document out of a larger answer, or to leave members out of it, for JSON that is already
 * known to be valid (Elasticsearch's own answers). It does not validate; on bytes that end early
 * or are not shaped like JSON it throws MalformedJsonError rather than guess.
 */
export class MalformedJsonError extends Error {
  constructor(message: string, at: number) {
    super(`${message} at byte ${at}`);
    this.name = 'MalformedJsonError';
  }
}

export const QUOTE = 0x22;
const BACKSLASH = 0x5c;
export const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const isSpace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

export function skipSpace(bytes: Uint8Array, at: number): number {
  let i = at;
  while (i < bytes.length && isSpace(bytes[i])) i += 1;
  return i;
}

/** `at` is an opening quote; returns the index just past its closing quote. */
export function stringEnd(bytes: Buffer, at: number): number {
  // A plain loop: most strings are short keys and values, for which a native search per string
  // costs more in calls than it saves. An escape's next byte is never the closing quote.
  const length = bytes.length;
  for (let i = at + 1; i < length; i += 1) {
    const byte = bytes[i];
    if (byte === QUOTE) return i + 1;
    if (byte === BACKSLASH) i += 1;
  }
  throw new MalformedJsonError('unterminated string', at);
}

/** `at` is the first byte of a value; returns the index just past it. */
export function valueEnd(bytes: Buffer, at: number): number {
  const first = bytes[at];
  if (first === QUOTE) return stringEnd(bytes, at);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) return containerEnd(bytes, at);
  let i = at;
  while (i < bytes.length) {
    const byte = bytes[i];
    if (byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || isSpace(byte)) break;
    i += 1;
  }
  if (i === at) throw new MalformedJsonError('a value was expected', at);
  return i;
}

function containerEnd(bytes: Buffer, at: number): number {
  let depth = 0;
  for (let i = at; i < bytes.length; i += 1) {
    const byte = bytes[i];
    if (byte === QUOTE) {
      i = stringEnd(bytes, i) - 1;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth += 1;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  throw new MalformedJsonError('unterminated object or array', at);
}

/** One `"key": value` of an object, by byte offsets into the bytes it was found in. */
export interface JsonMember {
  /** The key's opening quote. */
  readonly keyStart: number;
  /** Just past the key's closing quote. */
  readonly keyEnd: number;
  readonly valueStart: number;
  readonly valueEnd: number;
}

/** An object's members, in order, and where it starts and ends (`{` and just past `}`). */
export interface JsonObject {
  readonly start: number;
  readonly members: readonly JsonMember[];
  readonly end: number;
}

/**
 * Visits the members of the object whose `{` is at `at`, in order. `visit` may read the value
 * itself and return the index just past it (so a value is scanned once, by whoever needs it), or
 * return undefined to have it skipped. Returns the index just past the object's `}`.
 */
export function forEachMember(
  bytes: Buffer,
  at: number,
  visit: (keyStart: number, keyEnd: number, valueStart: number) => number | undefined,
): number {
  if (bytes[at] !== OPEN_BRACE) throw new MalformedJsonError('an object was expected', at);
  let i = skipSpace(bytes, at + 1);
  if (bytes[i] === CLOSE_BRACE) return i + 1;
  for (;;) {
    if (bytes[i] !== QUOTE) throw new MalformedJsonError('a key was expected', i);
    const keyEnd = stringEnd(bytes, i);
    const colon = skipSpace(bytes, keyEnd);
    if (bytes[colon] !== COLON) throw new MalformedJsonError('a colon was expected', colon);
    const valueStart = skipSpace(bytes, colon + 1);
    i = skipSpace(bytes, visit(i, keyEnd, valueStart) ?? valueEnd(bytes, valueStart));
    if (bytes[i] === CLOSE_BRACE) return i + 1;
    if (bytes[i] !== COMMA) throw new MalformedJsonError('a comma or } was expected', i);
    i = skipSpace(bytes, i + 1);
  }
}

/** The object whose `{` is at `at`, with every member's extent. */
export function objectMembers(bytes: Buffer, at: number): JsonObject {
  const members: JsonMember[] = [];
  const end = forEachMember(bytes, at, (keyStart, keyEnd, valueStart) => {
    const memberEnd = valueEnd(bytes, valueStart);
    members.push({ keyStart, keyEnd, valueStart, valueEnd: memberEnd });
    return memberEnd;
  });
  return { start: at, members, end };
}

/**
 * Visits the elements of the array whose `[` is at `at`, in order; `visit` returns the index just
 * past the element when it read it, or undefined to have it skipped. Returns the index past `]`.
 */
export function forEachElement(
  bytes: Buffer,
  at: number,
  visit: (start: number) => number | undefined,
): number {
  if (bytes[at] !== OPEN_BRACKET) throw new MalformedJsonError('an array was expected', at);
  let i = skipSpace(bytes, at + 1);
  if (bytes[i] === CLOSE_BRACKET) return i + 1;
  for (;;) {
    i = skipSpace(bytes, visit(i) ?? valueEnd(bytes, i));
    if (bytes[i] === CLOSE_BRACKET) return i + 1;
    if (bytes[i] !== COMMA) throw new MalformedJsonError('a comma or ] was expected', i);
    i = skipSpace(bytes, i + 1);
  }
}

/** The elements of the array whose `[` is at `at`, as [start, end) offsets. */
export function arrayElements(bytes: Buffer, at: number): [number, number][] {
  const elements: [number, number][] = [];
  forEachElement(bytes, at, (start) => {
    const end = valueEnd(bytes, start);
    elements.push([start, end]);
    return end;
  });
  return elements;
}

/** The text of a key between its quotes, when written without escapes (see plainKey). */
export function plainKeyAt(bytes: Buffer, keyStart: number, keyEnd: number): string | undefined {
  const from = keyStart + 1;
  const to = keyEnd - 1;
  for (let i = from; i < to; i += 1) if (bytes[i] === BACKSLASH) return undefined;
  return bytes.toString('utf8', from, to);
}

/**
 * The key's text when it is written without escapes (as every key Cairn and Elasticsearch write
 * is); undefined otherwise, so that a caller deciding by name never mistakes `"\u0065vent"`.
 */
export function plainKey(bytes: Buffer, member: JsonMember): string | undefined {
  return plainKeyAt(bytes, member.keyStart, member.keyEnd);
}

/** The member named `name` (the last one, as JSON.parse keeps the last of duplicates). */
export function memberNamed(
  bytes: Buffer,
  members: readonly JsonMember[],
  name: string,
): JsonMember | undefined {
  let found: JsonMember | undefined;
  for (const member of members) if (plainKey(bytes, member) === name) found = member;
  return found;
}

/** Whether a line break lies between `start` and `end`: in valid JSON only as whitespace. */
export function hasLineBreak(bytes: Buffer, start: number, end: number): boolean {
  const span = bytes.subarray(start, end);
  return span.includes(0x0a) || span.includes(0x0d);
}
