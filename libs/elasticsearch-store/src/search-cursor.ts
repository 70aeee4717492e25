import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export class InvalidCursorError extends Error {
  constructor(reason = 'not a cursor this API issued') {
    super(reason);
    this.name = 'InvalidCursorError';
  }
}

/**
 * Where a page ended: the last hit's sort values, and the handle of the paging's point in time
 * (see PagingRegistry): a cursor stays about 150 characters however many months a paging reads.
 */
export interface CursorPosition {
  readonly sort: [number | string, string];
  readonly paging?: string;
}

const PAGING_HANDLE = /^[A-Za-z0-9_-]{22}$/;

/**
 * Cursors are opaque to clients and signed (HMAC-SHA-256): a cursor this API did not issue, or
 * one changed by a client, is refused before anything of it reaches Elasticsearch. The payload is
 * shape-checked as well, so even a leaked secret cannot turn a cursor into query syntax.
 */
export class CursorCodec {
  private readonly key: Buffer;

  constructor(secret?: string) {
    this.key = secret === undefined ? randomBytes(32) : Buffer.from(secret);
  }

  encode(position: CursorPosition): string {
    const payload = Buffer.from(
      JSON.stringify(position.paging ? [position.sort, position.paging] : [position.sort]),
    );
    return `${payload.toString('base64url')}.${this.mac(payload).toString('base64url')}`;
  }

  decode(cursor: string): CursorPosition {
    const [encoded, signature, ...rest] = cursor.split('.');
    if (!encoded || !signature || rest.length > 0) throw new InvalidCursorError();
    const payload = Buffer.from(encoded, 'base64url');
    const presented = Buffer.from(signature, 'base64url');
    const expected = this.mac(payload);
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      throw new InvalidCursorError();
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload.toString('utf8'));
    } catch {
      throw new InvalidCursorError();
    }
    if (!Array.isArray(parsed) || parsed.length < 1 || parsed.length > 2) throw new InvalidCursorError();
    const [sort, paging] = parsed as unknown[];
    if (
      !Array.isArray(sort) ||
      sort.length !== 2 ||
      !(typeof sort[0] === 'number' || (typeof sort[0] === 'string' && /^\d{1,16}$/.test(sort[0]))) ||
      typeof sort[1] !== 'string' ||
      !/^[0-9a-f]{64}$/.test(sort[1]) ||
      (paging !== undefined && (typeof paging !== 'string' || !PAGING_HANDLE.test(paging)))
    ) {
      throw new InvalidCursorError();
    }
    return { sort: [sort[0], sort[1]], paging };
  }

  private mac(payload: Buffer): Buffer {
    return createHmac('sha256', this.key).update(payload).digest();
  }
}
