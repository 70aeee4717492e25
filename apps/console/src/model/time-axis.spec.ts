import { histogramInterval, ticks, tickStep, timeScale } from './time-axis';

const at = (iso: string) => Date.parse(iso);

it('maps the span onto the width, ends to ends', () => {
  const scale = timeScale(at('2026-12-01T10:00:00Z'), at('2026-12-01T11:00:00Z'), 600);
  expect(scale.x(at('2026-12-01T10:00:00Z'))).toBe(0);
  expect(scale.x(at('2026-12-01T10:30:00Z'))).toBe(300);
  expect(scale.x(at('2026-12-01T11:00:00Z'))).toBe(600);
});

it('draws a single instant in the middle of a minute around it', () => {
  const t = at('2026-12-01T10:00:00Z');
  const scale = timeScale(t, t, 100);
  expect(scale.x(t)).toBe(50);
});

it('puts ticks on whole UTC steps, labelled in UTC whatever the browser zone', () => {
  const scale = timeScale(at('2026-12-01T10:07:13Z'), at('2026-12-01T11:02:00Z'), 600);
  const found = ticks(scale, 8);
  expect(found.map((tick) => tick.label)).toEqual([
    '12-01 10:15',
    '12-01 10:30',
    '12-01 10:45',
    '12-01 11:00',
  ]);
  expect(found.every((tick) => tick.at >= scale.from && tick.at <= scale.to)).toBe(true);
});

it('labels seconds when the span is short and days when it is long', () => {
  expect(ticks(timeScale(at('2026-12-01T10:00:00Z'), at('2026-12-01T10:00:20Z'), 100))[0].label).toBe(
    '10:00:00',
  );
  expect(ticks(timeScale(at('2026-11-01T00:00:00Z'), at('2026-12-01T00:00:00Z'), 100))[0].label).toMatch(
    /^2026-11-0\d$/,
  );
});

it('never gives more ticks than asked for', () => {
  for (const span of [1, 999, 61_000, 3_600_000, 86_400_000 * 3, 86_400_000 * 400]) {
    expect(span / tickStep(span, 6)).toBeLessThanOrEqual(6);
  }
});

it('chooses histogram intervals the API accepts, with at most the bars asked for', () => {
  expect(histogramInterval(30 * 60_000)).toEqual({ ms: 60_000, interval: '1m' });
  expect(histogramInterval(24 * 3_600_000).interval).toBe('1h');
  expect(histogramInterval(7 * 24 * 3_600_000).interval).toBe('3h');
  expect(histogramInterval(10_000 * 86_400_000).interval).toBe('7d');
});
