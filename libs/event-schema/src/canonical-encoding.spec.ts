import { canonicalEncoding } from './canonical-encoding';

describe('canonicalEncoding', () => {
  it('sorts keys at every level, the same however often a key set comes back', () => {
    const written = { b: { y: 1, x: [true, null] }, a: 's' };
    const expected = '{1:as1:s1:b{1:x[2:tz1:yn1;}}';
    for (let i = 0; i < 3; i += 1) expect(canonicalEncoding(written)).toBe(expected);
    expect(canonicalEncoding({ a: 's', b: { x: [true, null], y: 1 } })).toBe(expected);
  });

  it('does not take key sets that join alike for one another (keys with newlines)', () => {
    // Both key lists join with a newline to "b\na\nc"; each must be sorted as what it is.
    const three = { b: 1, a: 2, c: 3 };
    const two = { 'b\na': 1, c: 2 };
    const twoOther = { b: 1, 'a\nc': 2 };
    expect(canonicalEncoding(three)).toBe('{1:an2;1:bn1;1:cn3;}');
    expect(canonicalEncoding(two)).toBe('{3:b\nan1;1:cn2;}');
    expect(canonicalEncoding(twoOther)).toBe('{3:a\ncn2;1:bn1;}');
    expect(canonicalEncoding(three)).toBe('{1:an2;1:bn1;1:cn3;}');
    // Unsorted the other way round, and a set that holds the newline keys first, then the plain.
    expect(canonicalEncoding({ c: 2, 'b\na': 1 })).toBe('{3:b\nan1;1:cn2;}');
    expect(canonicalEncoding({ c: 3, b: 1, a: 2 })).toBe('{1:an2;1:bn1;1:cn3;}');
  });

  it('leaves out the fields it is told to, at the top and one level down', () => {
    const leftOut = { '': new Set(['t']), cairn: new Set(['tags']) };
    expect(canonicalEncoding({ t: 1, cairn: { tags: [1], kind: 'k' }, other: { tags: 2 } }, leftOut)).toBe(
      '{5:cairn{4:kinds1:k}5:other{4:tagsn2;}}',
    );
  });
});
