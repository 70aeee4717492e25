/** A linear map from epoch milliseconds to pixels, and tick marks at round intervals in UTC. */
export interface TimeScale {
  readonly from: number;
  readonly to: number;
  readonly width: number;
  x(ms: number): number;
}

export function timeScale(from: number, to: number, width: number): TimeScale {
  // A single instant still needs a span to draw on: one minute around it.
  const [start, end] = to > from ? [from, to] : [from - 30_000, from + 30_000];
  const span = end - start;
  return { from: start, to: end, width, x: (ms) => ((ms - start) / span) * width };
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STEPS = [
  SECOND,
  5 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  7 * DAY,
  30 * DAY,
];

export interface Tick {
  readonly at: number;
  readonly label: string;
}

/** The smallest round step that keeps the ticks at or under `most`. */
export function tickStep(span: number, most: number): number {
  return STEPS.find((step) => span / step <= most) ?? Math.ceil(span / most / DAY) * DAY;
}

function labelOf(at: number, step: number): string {
  const iso = new Date(at).toISOString();
  if (step >= DAY) return iso.slice(0, 10);
  if (step >= MINUTE) return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  return iso.slice(11, 19);
}

/** Ticks at multiples of a round step since the epoch, so they fall on whole minutes, hours, days. */
export function ticks(scale: TimeScale, most = 8): Tick[] {
  const step = tickStep(scale.to - scale.from, most);
  const first = Math.ceil(scale.from / step) * step;
  const result: Tick[] = [];
  for (let at = first; at <= scale.to; at += step) result.push({ at, label: labelOf(at, step) });
  return result;
}

const INTERVALS: readonly [number, string][] = [
  [MINUTE, '1m'],
  [5 * MINUTE, '5m'],
  [15 * MINUTE, '15m'],
  [HOUR, '1h'],
  [3 * HOUR, '3h'],
  [12 * HOUR, '12h'],
  [DAY, '1d'],
  [7 * DAY, '7d'],
];

/** A histogram interval for `eventHistogram` that gives at most `most` bars over the span. */
export function histogramInterval(span: number, most = 60): { ms: number; interval: string } {
  const found = INTERVALS.find(([ms]) => span / ms <= most) ?? INTERVALS[INTERVALS.length - 1];
  return { ms: found[0], interval: found[1] };
}
