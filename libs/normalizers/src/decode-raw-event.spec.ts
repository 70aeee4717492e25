import { CairnEventError, EventErrorCode } from '@cairn/event-schema';
import { decodeRawEvent, decodeRawMessage } from './decode-raw-event';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof CairnEventError ? error.code : 'untyped';
  }
  return undefined;
};

describe('decodeRawEvent', () => {
  it('refuses messages over the size limit before parsing them', () => {
    const bytes = Buffer.from(JSON.stringify({ padding: 'x'.repeat(100) }));
    expect(codeOf(() => decodeRawEvent(bytes, { maxBytes: 50, maxDepth: 64 }))).toBe(
      EventErrorCode.MessageTooLarge,
    );
    expect(codeOf(() => decodeRawEvent(bytes, { maxBytes: 500, maxDepth: 64 }))).toBeUndefined();
  });

  it('refuses prototype keys at any depth, and constructor keys', () => {
    const nested = Buffer.from('{"a":[{"b":{"constructor":{"prototype":{}}}}]}');
    expect(codeOf(() => decodeRawEvent(nested))).toBe(EventErrorCode.ForbiddenKey);
  });

  it('counts depth through arrays and objects alike', () => {
    const objects = (n: number) => Buffer.from(`${'{"a":'.repeat(n - 1)}{}${'}'.repeat(n - 1)}`);
    const arrays = (n: number) => Buffer.from(`{"a":${'['.repeat(n - 2)}{}${']'.repeat(n - 2)}}`);
    const limits = { maxBytes: 1000, maxDepth: 10 };
    for (const build of [objects, arrays]) {
      expect(codeOf(() => decodeRawEvent(build(10), limits))).toBeUndefined();
      expect(codeOf(() => decodeRawEvent(build(11), limits))).toBe(EventErrorCode.NestingTooDeep);
    }
  });

  it('returns the object and the text it was parsed from', () => {
    expect(decodeRawEvent(Buffer.from(' {"kind":"Event"} '))).toEqual({
      raw: { kind: 'Event' },
      text: ' {"kind":"Event"} ',
    });
  });
});

describe('decodeRawMessage', () => {
  it('reads a single object as a batch of one, with its own text', () => {
    expect(decodeRawMessage(Buffer.from('{"a":1}'))).toEqual([{ raw: { a: 1 }, text: '{"a":1}' }]);
  });

  it('splits a top-level array into its objects, each with its own JSON text', () => {
    expect(decodeRawMessage(Buffer.from('[{"a":1}, {"b":[2]}]'))).toEqual([
      { raw: { a: 1 }, text: '{"a":1}' },
      { raw: { b: [2] }, text: '{"b":[2]}' },
    ]);
  });

  it('refuses an empty array, a batch with a non-object item, and hostile keys inside items', () => {
    expect(codeOf(() => decodeRawMessage(Buffer.from('[]')))).toBe(EventErrorCode.EmptyMessage);
    expect(codeOf(() => decodeRawMessage(Buffer.from('[{"a":1},[]]')))).toBe(EventErrorCode.NotAnObject);
    expect(codeOf(() => decodeRawMessage(Buffer.from('"text"')))).toBe(EventErrorCode.NotAnObject);
    expect(codeOf(() => decodeRawMessage(Buffer.from('[{"__proto__":{}}]')))).toBe(
      EventErrorCode.ForbiddenKey,
    );
  });

  it('counts the array itself as a level of nesting', () => {
    const limits = { maxBytes: 1000, maxDepth: 3 };
    expect(codeOf(() => decodeRawMessage(Buffer.from('[{"a":{}}]'), limits))).toBeUndefined();
    expect(codeOf(() => decodeRawMessage(Buffer.from('[{"a":{"b":{}}}]'), limits))).toBe(
      EventErrorCode.NestingTooDeep,
    );
  });
});
