import { ticks, timeScale } from '../model/time-axis';

export interface DrawnMark {
  readonly key: string;
  readonly at: number;
  readonly kind: 'alert' | 'refused' | 'event';
  readonly title: string;
  readonly href: string;
}

export interface DrawnBand {
  readonly key: string;
  readonly from: number;
  readonly to: number;
  readonly title: string;
}

export interface DrawnLane {
  readonly key: string;
  readonly label: string;
  readonly marks: readonly DrawnMark[];
  readonly bands?: readonly DrawnBand[];
}

const WIDTH = 1000;
const LABEL = 190;
const ROW = 34;
const AXIS = 28;

function Mark({ mark, x, y }: { mark: DrawnMark; x: number; y: number }) {
  const shape =
    mark.kind === 'alert' ? (
      <path d={`M${x} ${y - 9} L${x + 9} ${y} L${x} ${y + 9} L${x - 9} ${y} Z`} />
    ) : mark.kind === 'refused' ? (
      <rect x={x - 6} y={y - 6} width={12} height={12} />
    ) : (
      <circle cx={x} cy={y} r={5} />
    );
  // An SVG link is focusable and opens with Enter like any link; its label is what a reader hears.
  return (
    <a href={mark.href} class={`mark ${mark.kind}`} aria-label={mark.title} data-kind={mark.kind}>
      <title>{mark.title}</title>
      {shape}
    </a>
  );
}

/**
 * Lanes on one shared time axis: a mark per event (a diamond for an alert, a square for a
 * refusal, a dot otherwise), and shaded bands for stretches such as a source's silence.
 */
export function TimeLanes({
  lanes,
  from,
  to,
  label,
}: {
  lanes: readonly DrawnLane[];
  from: number;
  to: number;
  label: string;
}) {
  const scale = timeScale(from, to, WIDTH - LABEL - 20);
  const height = AXIS + lanes.length * ROW + 6;
  const xOf = (ms: number) => LABEL + 10 + scale.x(ms);
  return (
    <svg class="lanes" viewBox={`0 0 ${WIDTH} ${height}`} role="group" aria-label={label}>
      {ticks(scale, 7).map((tick) => (
        <g key={tick.at} class="tick">
          <line x1={xOf(tick.at)} x2={xOf(tick.at)} y1={AXIS - 6} y2={height} />
          <text x={xOf(tick.at)} y={AXIS - 10} text-anchor="middle">
            {tick.label}
          </text>
        </g>
      ))}
      {lanes.map((lane, row) => {
        const y = AXIS + row * ROW + ROW / 2;
        return (
          <g key={lane.key} class="lane" role="list" aria-label={lane.label} data-lane={lane.key}>
            <line class="rail" x1={LABEL} x2={WIDTH - 10} y1={y} y2={y} />
            <text class="lane-label" x={8} y={y + 4}>
              {lane.label}
            </text>
            {(lane.bands ?? []).map((band) => (
              <rect
                key={band.key}
                class="band"
                role="listitem"
                aria-label={band.title}
                x={xOf(Math.max(band.from, scale.from))}
                width={Math.max(2, xOf(Math.min(band.to, scale.to)) - xOf(Math.max(band.from, scale.from)))}
                y={y - ROW / 2 + 4}
                height={ROW - 8}
              >
                <title>{band.title}</title>
              </rect>
            ))}
            {lane.marks.map((mark) => (
              <g key={mark.key} role="listitem">
                <Mark mark={mark} x={xOf(mark.at)} y={y} />
              </g>
            ))}
          </g>
        );
      })}
    </svg>
  );
}
