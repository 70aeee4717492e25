import { CairnEventError } from '@cairn/event-schema';
import { containerIds, rfc3339Millis, SourceFields, zuluToIso } from './fields';

describe('rfc3339Millis', () => {
  it.each([
    '2026-03-14T21:07:12.160052Z',
    '2026-03-14T21:07:12Z',
    '2016-03-09T14:44:26.402973972-08:00',
    '2026-03-15T00:00:00.001204+05:30',
    '2024-02-29T23:59:59.999999999Z',
  ])('agrees with Date.parse on %s (to the millisecond)', (value) => {
    const expected = Date.parse(value.replace(/(\.\d{3})\d+/, '$1'));
    expect(rfc3339Millis(value)).toBe(expected);
  });

  it('refuses impossible dates and declines other forms', () => {
    expect(rfc3339Millis('2026-02-30T00:00:00Z')).toBeNaN();
    expect(rfc3339Millis('2026-13-01T00:00:00Z')).toBeNaN();
    expect(rfc3339Millis('Tue, 14 Mar 2026 21:07:12 GMT')).toBeUndefined();
  });
});

describe('zuluToIso', () => {
  it.each([
    ['2026-03-14T21:07:12.160052Z', '2026-03-14T21:07:12.160Z'],
    ['2026-03-14T21:07:12Z', '2026-03-14T21:07:12.000Z'],
    ['2026-03-14T21:07:12.5Z', '2026-03-14T21:07:12.500Z'],
    ['2024-02-29T23:59:59.999999999Z', '2024-02-29T23:59:59.999Z'],
  ])('%s is %s, as Date would say', (value, expected) => {
    expect(zuluToIso(value)).toBe(expected);
    expect(new Date(Date.parse(value.replace(/(\.\d{3})\d+/, '$1'))).toISOString()).toBe(expected);
  });

  it.each([
    '2026-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-03-14T24:00:00Z',
    '2026-03-14T21:07:12+01:00',
  ])('leaves %s to the general path', (value) => expect(zuluToIso(value)).toBeUndefined());
});

describe('SourceFields.timestamp', () => {
  const fields = new SourceFields('test event');
  const reason = (value: string) => {
    try {
      return fields.timestamp(value, 'time');
    } catch (error) {
      return error instanceof CairnEventError ? `${error.code}: ${error.message}` : String(error);
    }
  };

  it.each([
    ['2026-03-14T21:07:12.160052Z', '2026-03-14T21:07:12.160Z'],
    ['2016-03-09T14:44:26.402973972-08:00', '2016-03-09T22:44:26.402Z'],
    ['Sat, 14 Mar 2026 21:07:12 GMT', '2026-03-14T21:07:12.000Z'],
    ['2026-03-14 21:07:12 +0100', '2026-03-14T20:07:12.000Z'],
  ])('reads %s as %s, whatever the host time zone', (value, expected) => {
    expect(reason(value)).toBe(expected);
  });

  it.each(['7', '2026-03-14 21:07:12', 'March 14, 2026', '2026-02-30T00:00:00Z', 'soon'])(
    'refuses %s: no zone, or no such time',
    (value) => {
      expect(reason(value)).toBe('INVALID_SOURCE_EVENT: test event: time is not a timestamp');
    },
  );

  it('leaves an absent value absent', () => {
    expect(fields.timestamp(undefined, 'time')).toBeUndefined();
  });
});

describe('rfc3339Millis at its bounds', () => {
  it.each([
    ['2026-03-14t21:07:12z', Date.UTC(2026, 2, 14, 21, 7, 12)],
    ['2026-03-14 21:07:12Z', Date.UTC(2026, 2, 14, 21, 7, 12)],
    ['2026-03-14T21:07:12+0530', Date.UTC(2026, 2, 14, 15, 37, 12)],
    ['2026-03-14T21:07:12-00:30', Date.UTC(2026, 2, 14, 21, 37, 12)],
    ['2026-03-14T21:07:12.5+00:00', Date.UTC(2026, 2, 14, 21, 7, 12, 500)],
    ['2026-03-14T21:07:12.12+00:00', Date.UTC(2026, 2, 14, 21, 7, 12, 120)],
    ['2026-12-31T23:59:60Z', Date.UTC(2027, 0, 1, 0, 0, 0)],
    ['2026-01-01T00:00:00Z', Date.UTC(2026, 0, 1)],
  ])('%s', (value, millis) => expect(rfc3339Millis(value)).toBe(millis));

  it.each([
    '2026-00-10T00:00:00Z',
    '2026-01-00T00:00:00Z',
    '2026-01-32T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T00:60:00Z',
    '2026-01-01T00:00:61Z',
  ])('%s is no such time', (value) => expect(rfc3339Millis(value)).toBeNaN());

  it.each([
    '2026-01-01T00:00:00',
    '2026-01-01T00:00Z',
    '2026-01-01T00:00:00.1234567890Z',
    ' 2026-01-01T00:00:00Z',
  ])('%s is not RFC 3339', (value) => expect(rfc3339Millis(value)).toBeUndefined());
});

describe('zuluToIso at its bounds', () => {
  it.each([
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['2026-12-31T23:59:59.12Z', '2026-12-31T23:59:59.120Z'],
    ['2026-01-01T00:00:00.123Z', '2026-01-01T00:00:00.123Z'],
  ])('%s', (value, expected) => expect(zuluToIso(value)).toBe(expected));

  it.each([
    '2100-02-29T00:00:00Z',
    '2026-00-01T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-01-00T00:00:00Z',
    '2026-01-01T00:60:00Z',
    '2026-01-01T00:00:60Z',
    '2026-01-01 00:00:00Z',
    '2026-01-01T00:00:00z',
  ])('leaves %s alone', (value) => expect(zuluToIso(value)).toBeUndefined());
});

describe('SourceFields readers', () => {
  const fields = new SourceFields('test event');
  const message = (read: () => unknown) => {
    try {
      read();
      return 'no error';
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('reads present values, leaves absent and null ones absent, and names a wrong type by its path', () => {
    const object = { s: 'x', e: '', n: 5, ns: '-2.5', o: { a: 1 }, l: ['a'], z: null };
    expect(fields.string(object, 's')).toBe('x');
    expect(fields.string(object, 'z')).toBeUndefined();
    expect(fields.string(object, 'missing')).toBeUndefined();
    expect(message(() => fields.string(object, 'n', 'a.n'))).toBe('test event: a.n must be a string');
    expect(fields.requiredString(object, 's')).toBe('x');
    expect(message(() => fields.requiredString(object, 'e'))).toBe('test event: e is missing');
    expect(message(() => fields.requiredString(object, 'missing'))).toBe('test event: missing is missing');
    expect(fields.number(object, 'n')).toBe(5);
    expect(fields.number(object, 'ns')).toBe(-2.5);
    expect(fields.number(object, 'z')).toBeUndefined();
    expect(message(() => fields.number({ v: '1e3' }, 'v'))).toBe('test event: v must be a number');
    expect(message(() => fields.number({ v: Infinity }, 'v'))).toBe('test event: v must be a number');
    expect(message(() => fields.number({ v: '5.' }, 'v'))).toBe('test event: v must be a number');
    expect(fields.object(object, 'o')).toEqual({ a: 1 });
    expect(fields.object(object, 'z')).toBeUndefined();
    expect(message(() => fields.object(object, 'l'))).toBe('test event: l must be an object');
    expect(fields.strings(object, 'l')).toEqual(['a']);
    expect(fields.strings(object, 'z')).toBeUndefined();
    expect(message(() => fields.strings({ v: ['a', 1] }, 'v'))).toBe(
      'test event: v must be a list of strings',
    );
    expect(message(() => fields.strings({ v: 'a' }, 'v'))).toBe('test event: v must be a list of strings');
  });

  it('reads epoch seconds, and milliseconds above 10^12, within Date range', () => {
    expect(fields.epoch(1_773_522_432, 't')).toBe('2026-03-14T21:07:12.000Z');
    expect(fields.epoch(1_773_522_432.9, 't')).toBe('2026-03-14T21:07:12.900Z');
    expect(fields.epoch(1_773_522_432_160, 't')).toBe('2026-03-14T21:07:12.160Z');
    expect(fields.epoch(1e12, 't')).toBe(new Date(1e15).toISOString());
    expect(fields.epoch(0, 't')).toBe('1970-01-01T00:00:00.000Z');
    expect(fields.epoch(undefined, 't')).toBeUndefined();
    expect(message(() => fields.epoch(-1, 't'))).toBe('test event: t is out of range');
    expect(message(() => fields.epoch(8.64e15 + 1, 't'))).toBe('test event: t is out of range');
    expect(fields.epoch(8.64e15, 't')).toBe(new Date(8.64e15).toISOString());
  });

  it('reads nanoseconds as a number or a decimal string', () => {
    expect(fields.nanos('1773522432160052000', 't')).toBe('2026-03-14T21:07:12.160Z');
    expect(fields.nanos(1773522432160052000, 't')).toBe('2026-03-14T21:07:12.160Z');
    expect(fields.nanos(null, 't')).toBeUndefined();
    expect(fields.nanos(undefined, 't')).toBeUndefined();
    expect(message(() => fields.nanos('-1', 't'))).toBe('test event: t must be nanoseconds since the epoch');
    expect(message(() => fields.nanos('12a', 't'))).toBe('test event: t must be nanoseconds since the epoch');
    expect(message(() => fields.nanos('1'.repeat(26), 't'))).toBe(
      'test event: t must be nanoseconds since the epoch',
    );
    expect(message(() => fields.nanos(true, 't'))).toBe('test event: t must be nanoseconds since the epoch');
    expect(message(() => fields.nanos('9'.repeat(25), 't'))).toBe('test event: t is out of range');
  });
});

describe('containerIds', () => {
  it('gives the full id and its 12-character short form, without a runtime prefix', () => {
    const id = 'a3f1c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3';
    for (const prefix of ['', 'docker://', 'containerd://', 'cri-o://']) {
      expect(containerIds(`${prefix}${id}`)).toEqual({ id, short_id: id.slice(0, 12) });
    }
    expect(containerIds('a3f1c5e7b9d1')).toEqual({ id: 'a3f1c5e7b9d1', short_id: 'a3f1c5e7b9d1' });
    expect(containerIds('a3f1c5e7b9d')).toEqual({ id: 'a3f1c5e7b9d', short_id: undefined });
    expect(containerIds('checkout-web')).toEqual({ id: 'checkout-web', short_id: undefined });
    expect(containerIds('podman://abc')).toEqual({ id: 'podman://abc', short_id: undefined });
    expect(containerIds('')).toEqual({});
    expect(containerIds(undefined)).toEqual({});
  });
});
