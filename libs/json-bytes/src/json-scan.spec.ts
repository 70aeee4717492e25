import fc from 'fast-check';
import {
  arrayElements,
  hasLineBreak,
  MalformedJsonError,
  memberNamed,
  objectMembers,
  plainKey,
  valueEnd,
} from './json-scan';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const jsonValue = fc.jsonValue({ maxDepth: 4 });

describe('valueEnd', () => {
  it('finds the end of any JSON value, compact or spaced, with text after it', () => {
    fc.assert(
      fc.property(jsonValue, fc.boolean(), (value, spaced) => {
        const text = JSON.stringify(value, null, spaced ? 2 : undefined);
        const buffer = bytes(`${text} ,"after"`);
        expect(valueEnd(buffer, 0)).toBe(Buffer.byteLength(text));
      }),
    );
  });

  it('is not fooled by brackets, quotes and backslashes inside strings', () => {
    const text = '{"a":"}]\\"{[","b":["\\\\",{"c":"\\\\\\""}]}';
    expect(JSON.parse(text)).toEqual({ a: '}]"{[', b: ['\\', { c: '\\"' }] });
    expect(valueEnd(bytes(`${text}]`), 0)).toBe(text.length);
  });

  it('refuses bytes that end inside a value', () => {
    expect(() => valueEnd(bytes('{"a":"b'), 0)).toThrow(MalformedJsonError);
    expect(() => valueEnd(bytes('{"a":["b"]'), 0)).toThrow(MalformedJsonError);
    expect(() => valueEnd(bytes(','), 0)).toThrow(MalformedJsonError);
  });
});

describe('objectMembers', () => {
  it('lists every member with its key and value spans, as JSON.parse reads them', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), jsonValue), fc.boolean(), (object, spaced) => {
        const buffer = bytes(JSON.stringify(object, null, spaced ? 1 : undefined));
        const { members, end } = objectMembers(buffer, 0);
        expect(end).toBe(buffer.length);
        const read = members.map((member) => [
          JSON.parse(buffer.toString('utf8', member.keyStart, member.keyEnd)) as string,
          JSON.parse(buffer.toString('utf8', member.valueStart, member.valueEnd)) as unknown,
        ]);
        expect(Object.fromEntries(read)).toEqual(JSON.parse(JSON.stringify(object)));
      }),
    );
  });

  it('refuses what is not an object', () => {
    expect(() => objectMembers(bytes('[1]'), 0)).toThrow(MalformedJsonError);
    expect(() => objectMembers(bytes('{"a" 1}'), 0)).toThrow(/colon/);
    expect(() => objectMembers(bytes('{"a":1 "b":2}'), 0)).toThrow(/comma/);
  });
});

describe('arrayElements', () => {
  it('lists every element of any array', () => {
    fc.assert(
      fc.property(fc.array(jsonValue), (array) => {
        const buffer = bytes(` ${JSON.stringify(array)}`);
        const elements = arrayElements(buffer, 1);
        expect(
          elements.map(([start, end]) => JSON.parse(buffer.toString('utf8', start, end)) as unknown),
        ).toEqual(JSON.parse(JSON.stringify(array)));
      }),
    );
  });
});

describe('keys', () => {
  it('reads plain keys and declines escaped ones, which could spell any name', () => {
    const buffer = bytes('{"event":1,"\\u0065vent":2,"é":3}');
    const { members } = objectMembers(buffer, 0);
    expect(members.map((member) => plainKey(buffer, member))).toEqual(['event', undefined, 'é']);
  });

  it('finds the last member of a name, as JSON.parse keeps it', () => {
    const buffer = bytes('{"a":1,"b":2,"a":3}');
    const { members } = objectMembers(buffer, 0);
    const found = memberNamed(buffer, members, 'a')!;
    expect(buffer.toString('utf8', found.valueStart, found.valueEnd)).toBe('3');
    expect(memberNamed(buffer, members, 'c')).toBeUndefined();
  });
});

describe('hasLineBreak', () => {
  it('looks only between the offsets it is given', () => {
    const buffer = bytes('{"a":1}\n{\r"b":2}');
    expect(hasLineBreak(buffer, 0, 7)).toBe(false);
    expect(hasLineBreak(buffer, 0, 8)).toBe(true);
    expect(hasLineBreak(buffer, 8, buffer.length)).toBe(true);
  });
});
