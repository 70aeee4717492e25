import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Where an export page ended, per stream: no clock and no point in time, so it outlives restarts. */
export interface FeedPosition {
  /** Per raw topic partition ("topic/partition"): the last [offset, item] delivered. */
  readonly streams: ReadonlyMap<string, readonly [number, number]>;
  /** Records Cairn writes itself (no raw position): the last [event.ingested ms, event id] delivered. */
  readonly own?: readonly [number, string];
}

export const START: FeedPosition = { streams: new Map() };

export class InvalidFeedCursorError extends Error {
  constructor() {
    super('not a feed cursor this API issued');
    this.name = 'InvalidFeedCursorError';
  }
}

const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
const EVENT_ID = /^[0-9a-f]{64}$/;
const MAX_STREAMS = 10_000;
// Keeps a feed cursor from ever verifying as a search cursor signed with the same secret, and back.
const DOMAIN = Buffer.from('cairn feed cursor v1\n');

const isCount = (value: unknown, max = Number.MAX_SAFE_INTEGER): value is number =>
  Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= max;

/**
 * Feed cursors are opaque and signed (HMAC-SHA-256 with CAIRN_CURSOR_SECRET, so every API replica
 * reads the others'); what verifies is shape-checked too before any of it reaches a query.
 */
export class FeedCursorCodec {
  private readonly key: Buffer;

  constructor(secret?: string) {
    this.key = secret === undefined ? randomBytes(32) : Buffer.from(secret);
  }

  encode(position: FeedPosition): string {
    const streams = [...position.streams.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([stream, [offset, item]]) => [stream, offset, item]);
    const payload = Buffer.from(JSON.stringify(position.own ? [streams, position.own] : [streams]));
    return `${payload.toString('base64url')}.${this.mac(payload).toString('base64url')}`;
  }

  decode(cursor: string): FeedPosition {
    const [encoded, signature, ...rest] = cursor.split('.');
    if (!encoded || !signature || rest.length > 0) throw new InvalidFeedCursorError();
    const payload = Buffer.from(encoded, 'base64url');
    const presented = Buffer.from(signature, 'base64url');
    const expected = this.mac(payload);
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      throw new InvalidFeedCursorError();
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload.toString('utf8'));
    } catch {
      throw new InvalidFeedCursorError();
    }
    if (!Array.isArray(parsed) || parsed.length < 1 || parsed.length > 2) throw new InvalidFeedCursorError();
    const [streams, own] = parsed as unknown[];
    if (!Array.isArray(streams) || streams.length > MAX_STREAMS) throw new InvalidFeedCursorError();
    const map = new Map<string, readonly [number, number]>();
    for (const entry of streams) {
      if (!Array.isArray(entry) || entry.length !== 3) throw new InvalidFeedCursorError();
      const [stream, offset, item] = entry as unknown[];
      if (typeof stream !== 'string' || !isStream(stream) || !isCount(offset) || !isCount(item, 1_000_000)) {
        throw new InvalidFeedCursorError();
      }
      map.set(stream, [offset, item]);
    }
    if (own === undefined) return { streams: map };
    if (
      !Array.isArray(own) ||
      own.length !== 2 ||
      !isCount(own[0]) ||
      typeof own[1] !== 'string' ||
      !EVENT_ID.test(own[1])
    ) {
      throw new InvalidFeedCursorError();
    }
    return { streams: map, own: [own[0], own[1]] };
  }

  private mac(payload: Buffer): Buffer {
    return createHmac('sha256', this.key).update(DOMAIN).update(payload).digest();
  }
}

/** "topic/partition", the key of one raw stream. */
export function streamKey(topic: string, partition: number): string {
  return `${topic}/${partition}`;
}

export function parseStream(stream: string): { topic: string; partition: number } {
  const slash = stream.lastIndexOf('/');
  return { topic: stream.slice(0, slash), partition: Number(stream.slice(slash + 1)) };
}

function isStream(stream: string): boolean {
  const slash = stream.lastIndexOf('/');
  if (slash < 1) return false;
  const partition = stream.slice(slash + 1);
  return TOPIC.test(stream.slice(0, slash)) && /^\d{1,6}$/.test(partition);
}
