import { indicesFor, MAX_LISTED_MONTHS } from './index-names';

const at = (iso: string) => new Date(iso);

describe('indicesFor', () => {
  it('names the months a closed range touches, to exclusive', () => {
    expect(indicesFor('ev', { from: at('2026-11-15T00:00:00Z'), to: at('2027-02-01T00:00:00Z') })).toBe(
      'ev-2026.11,ev-2026.12,ev-2027.01',
    );
    expect(indicesFor('ev', { from: at('2026-03-14T10:00:00Z'), to: at('2026-03-14T11:00:00Z') })).toBe(
      'ev-2026.03',
    );
    expect(indicesFor('ev', { from: at('2026-03-31T23:59:59Z'), to: at('2026-04-01T00:00:00.001Z') })).toBe(
      'ev-2026.03,ev-2026.04',
    );
  });

  it('reads every month when the start is open or the range is too long to list', () => {
    expect(indicesFor('ev', {})).toBe('ev');
    expect(indicesFor('ev', { to: at('2026-03-01T00:00:00Z') })).toBe('ev');
    const from = at('2020-01-01T00:00:00Z');
    const to = new Date(Date.UTC(2020, MAX_LISTED_MONTHS + 1, 1));
    expect(indicesFor('ev', { from, to })).toBe('ev');
  });

  it('ends an open range with next month, for events a little ahead of the clock', () => {
    expect(indicesFor('ev', { from: at('2026-10-02T00:00:00Z') }, at('2026-12-01T12:00:00Z'))).toBe(
      'ev-2026.10,ev-2026.11,ev-2026.12,ev-2027.01',
    );
  });

  it('answers one month for an empty or reversed range (the query itself then matches nothing)', () => {
    expect(indicesFor('ev', { from: at('2026-05-02T00:00:00Z'), to: at('2026-05-01T00:00:00Z') })).toBe(
      'ev-2026.05',
    );
  });
});
