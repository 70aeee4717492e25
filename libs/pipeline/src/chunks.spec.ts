import { chunkMessages } from './chunks';

const message = (offset: number, bytes: number) => ({
  key: null,
  value: Buffer.alloc(bytes),
  offset: String(offset),
});

const shape = (chunks: { offset: string }[][]) => chunks.map((chunk) => chunk.map((m) => Number(m.offset)));

describe('chunkMessages', () => {
  it('cuts by message count', () => {
    const messages = [0, 1, 2, 3, 4].map((i) => message(i, 10));
    expect(shape(chunkMessages(messages, { maxEvents: 2, maxBytes: 1000 }))).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('cuts by raw bytes, keeping order', () => {
    const messages = [message(0, 40), message(1, 40), message(2, 40), message(3, 10)];
    expect(shape(chunkMessages(messages, { maxEvents: 100, maxBytes: 100 }))).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });

  it('gives a message larger than the byte limit a chunk of its own', () => {
    const messages = [message(0, 10), message(1, 500), message(2, 10)];
    expect(shape(chunkMessages(messages, { maxEvents: 100, maxBytes: 100 }))).toEqual([[0], [1], [2]]);
  });

  it('counts a message without a value as empty', () => {
    const messages = [{ key: null, value: null, offset: '0' }, message(1, 10)];
    expect(shape(chunkMessages(messages, { maxEvents: 100, maxBytes: 10 }))).toEqual([[0, 1]]);
  });

  it('returns nothing for nothing', () => {
    expect(chunkMessages([], { maxEvents: 1, maxBytes: 1 })).toEqual([]);
  });
});
