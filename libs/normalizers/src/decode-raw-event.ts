import { isUtf8 } from 'node:buffer';
import { CairnEventError, EventErrorCode } from '@cairn/event-schema';

export interface DecodeLimits {
  /** Larger messages are refused before parsing. */
  readonly maxBytes: number;
  /** Deeper JSON is refused: a real audit event nests a few dozen levels at most. */
  readonly maxDepth: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = { maxBytes: 4 * 1024 * 1024, maxDepth: 64 };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function fail(code: EventErrorCode, message: string): never {
  throw new CairnEventError(code, message);
}

/** Walks the parsed value once: depth limit and keys that could reach a prototype. */
function inspect(value: unknown, depth: number, maxDepth: number): void {
  if (value === null || typeof value !== 'object') return;
  if (depth > maxDepth) fail(EventErrorCode.NestingTooDeep, `JSON nests deeper than ${maxDepth} levels`);
  if (Array.isArray(value)) {
    for (const item of value) inspect(item, depth + 1, maxDepth);
    return;
  }
  for (const key in value) {
    if (FORBIDDEN_KEYS.has(key)) fail(EventErrorCode.ForbiddenKey, `key "${key}" is not accepted`);
    inspect((value as Record<string, unknown>)[key], depth + 1, maxDepth);
  }
}

/**
 * JSON carried as text inside an envelope (a cloud log service's record holding the audit event
 * as a string): held to the same rules as a message's own JSON, so wrapping cannot smuggle past
 * them. `path` names the field in errors.
 */
export function parseEmbeddedJson(
  text: string,
  path: string,
  maxDepth = DEFAULT_DECODE_LIMITS.maxDepth,
): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    fail(EventErrorCode.MalformedJson, `${path} is not JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    fail(EventErrorCode.NotAnObject, `${path} must hold a JSON object`);
  inspect(value, 1, maxDepth);
  return value as Record<string, unknown>;
}

/** Turns a known non-JSON line format into the JSON its source's normalizer reads, or declines. */
export type TextLineParser = (text: string) => Record<string, unknown> | undefined;

/** One decoded raw event: the parsed object and its text (kept as event.original). */
export interface DecodedRaw {
  readonly raw: Record<string, unknown>;
  readonly text: string;
}

function parseMessage(
  bytes: Buffer,
  limits: DecodeLimits,
  textParsers: readonly TextLineParser[],
): { value: unknown; text: string } {
  if (bytes.length === 0) fail(EventErrorCode.EmptyMessage, 'empty message');
  if (bytes.length > limits.maxBytes) {
    fail(EventErrorCode.MessageTooLarge, `message of ${bytes.length} bytes exceeds ${limits.maxBytes}`);
  }
  if (!isUtf8(bytes)) fail(EventErrorCode.InvalidUtf8, 'message is not valid UTF-8');
  const text = bytes.toString('utf8');
  if (text.trim() === '') fail(EventErrorCode.EmptyMessage, 'message holds only white space');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    value = textParsers.map((parse) => parse(text)).find((parsed) => parsed !== undefined);
    if (value === undefined) fail(EventErrorCode.MalformedJson, `not JSON: ${(error as Error).message}`);
  }
  return { value, text };
}

function kindOf(value: unknown): string {
  return Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;
}

/**
 * Bytes to a JSON object, refusing each kind of bad input with its own code. Text that is not
 * JSON is offered to the text-line parsers (e.g. `ctr events` lines) before it is refused.
 */
export function decodeRawEvent(
  bytes: Buffer,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
  textParsers: readonly TextLineParser[] = [],
): DecodedRaw {
  const { value, text } = parseMessage(bytes, limits, textParsers);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(EventErrorCode.NotAnObject, `expected a JSON object, got ${kindOf(value)}`);
  }
  inspect(value, 1, limits.maxDepth);
  return { raw: value as Record<string, unknown>, text };
}

/**
 * Like decodeRawEvent, and a top-level JSON array is a batch of events, each an object of its
 * own (OPA's decision log uploads, HTTP log shippers): each item keeps its own JSON text as its
 * original. A batch is refused whole when one item is not an object.
 */
export function decodeRawMessage(
  bytes: Buffer,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
  textParsers: readonly TextLineParser[] = [],
): DecodedRaw[] {
  const { value, text } = parseMessage(bytes, limits, textParsers);
  if (!Array.isArray(value)) {
    if (value === null || typeof value !== 'object')
      fail(EventErrorCode.NotAnObject, `expected a JSON object or an array of them, got ${kindOf(value)}`);
    inspect(value, 1, limits.maxDepth);
    return [{ raw: value as Record<string, unknown>, text }];
  }
  if (value.length === 0) fail(EventErrorCode.EmptyMessage, 'an empty JSON array holds no events');
  inspect(value, 1, limits.maxDepth);
  return value.map((item: unknown, index) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item))
      fail(EventErrorCode.NotAnObject, `batch item ${index} is ${kindOf(item)}, not a JSON object`);
    return { raw: item as Record<string, unknown>, text: JSON.stringify(item) };
  });
}
