import { FeedCursorCodec, InvalidFeedCursorError, streamKey } from './feed-cursor';

describe('FeedCursorCodec', () => {
  const codec = new FeedCursorCodec('s'.repeat(32));
  const position = {
    streams: new Map([
      [streamKey('cairn.raw.runtime', 1), [420, 0] as const],
      [streamKey('cairn.raw.orchestrator', 0), [17, 3] as const],
    ]),
    own: [1777629600125, 'a'.repeat(64)] as const,
  };

  it('round-trips a position, and any replica with the same secret reads it', () => {
    const cursor = codec.encode(position);
    expect(new FeedCursorCodec('s'.repeat(32)).decode(cursor)).toEqual(position);
  });

  it('encodes the same position the same way, whatever the order the streams were met in', () => {
    const reversed = { ...position, streams: new Map([...position.streams].reverse()) };
    expect(codec.encode(reversed)).toBe(codec.encode(position));
  });

  it('refuses a cursor signed with another secret, or changed, or of another shape', () => {
    const cursor = codec.encode(position);
    expect(() => new FeedCursorCodec('t'.repeat(32)).decode(cursor)).toThrow(InvalidFeedCursorError);
    const [payload, mac] = cursor.split('.');
    const forged = Buffer.from(payload, 'base64url').toString().replace('420', '421');
    expect(() => codec.decode(`${Buffer.from(forged).toString('base64url')}.${mac}`)).toThrow(
      InvalidFeedCursorError,
    );
    for (const bad of ['', 'x', 'a.b.c', `${payload}.`])
      expect(() => codec.decode(bad)).toThrow(InvalidFeedCursorError);
  });

  it('refuses well-signed payloads that are not positions (a leaked secret still cannot inject)', () => {
    const signedBy = (value: unknown) => {
      const probe = new FeedCursorCodec('s'.repeat(32)) as unknown as { mac(payload: Buffer): Buffer };
      const payload = Buffer.from(JSON.stringify(value));
      return `${payload.toString('base64url')}.${probe.mac(payload).toString('base64url')}`;
    };
    for (const value of [
      [[['topic with space/0', 1, 0]]],
      [[['t/-1', 1, 0]]],
      [[['t/0', -1, 0]]],
      [[['t/0', 1.5, 0]]],
      [[['t/0', 1]]],
      [[], [1, 'not-an-id']],
      [[], [-5, 'a'.repeat(64)]],
      { streams: [] },
    ]) {
      expect(() => codec.decode(signedBy(value))).toThrow(InvalidFeedCursorError);
    }
    expect(codec.decode(signedBy([[['t/0', 1, 0]]])).streams.get('t/0')).toEqual([1, 0]);
  });
});
