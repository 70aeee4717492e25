import { ticks, timeScale } from '../model/time-axis';

export interface Bar {
  readonly start: number;
  readonly count: number;
}

const WIDTH = 1000;
const HEIGHT = 160;
const AXIS = 22;

/**
 * Events per interval as bars over the whole window asked about, and over them, in their own
 * colour, the part that was refused; each bar says its interval and counts when hovered.
 */
export function Histogram({
  bars,
  refused,
  intervalMs,
  from,
  to,
  label,
}: {
  bars: readonly Bar[];
  refused: readonly Bar[];
  intervalMs: number;
  from: number;
  to: number;
  label: string;
}) {
  if (bars.length === 0) return <p>No events in this window.</p>;
  const scale = timeScale(from, to, WIDTH - 20);
  const most = Math.max(...bars.map((bar) => bar.count));
  const barWidth = Math.max(3, scale.x(from + intervalMs) - scale.x(from) - 1);
  const heightOf = (count: number) => ((HEIGHT - AXIS - 8) * count) / most;
  const refusedAt = new Map(refused.map((bar) => [bar.start, bar.count]));
  return (
    <svg class="histogram" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label}>
      {bars.map((bar) => {
        const failed = refusedAt.get(bar.start) ?? 0;
        const x = 10 + scale.x(Math.max(bar.start, from));
        return (
          <g key={bar.start}>
            <title>{`${new Date(bar.start).toISOString()}: ${bar.count} events, ${failed} refused`}</title>
            <rect
              class="bar"
              x={x}
              y={HEIGHT - AXIS - heightOf(bar.count)}
              width={barWidth}
              height={heightOf(bar.count)}
            />
            {failed > 0 && (
              <rect
                class="bar refused"
                x={x}
                y={HEIGHT - AXIS - heightOf(failed)}
                width={barWidth}
                height={heightOf(failed)}
              />
            )}
          </g>
        );
      })}
      {ticks(scale, 7).map((tick) => (
        <text key={tick.at} class="tick" x={10 + scale.x(tick.at)} y={HEIGHT - 6} text-anchor="middle">
          {tick.label}
        </text>
      ))}
    </svg>
  );
}
