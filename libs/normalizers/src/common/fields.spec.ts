import { CairnEventError } from '@cairn/event-schema';
import { rfc3339Millis, SourceFields, zuluToIso } from './fields';

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
