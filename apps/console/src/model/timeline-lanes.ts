import { isAlert, isRefused, type EventRow } from './event-row';

export type MarkKind = 'alert' | 'refused' | 'event';

export interface LaneMark {
  readonly event: EventRow;
  readonly at: number;
  readonly kind: MarkKind;
}

export interface Lane {
  readonly product: string;
  readonly label: string;
  readonly marks: readonly LaneMark[];
}

/** Lanes top to bottom as a container's life reads: its image, its runtime, its alerts, its API. */
const LANE_ORDER = ['distribution', 'harbor', 'docker', 'containerd', 'falco', 'kubernetes', 'opa', 'cairn'];
const LABELS: Record<string, string> = {
  distribution: 'Registry (Distribution)',
  harbor: 'Registry (Harbor)',
  docker: 'Runtime (Docker)',
  containerd: 'Runtime (containerd)',
  falco: 'Falco alerts',
  kubernetes: 'Kubernetes API',
  opa: 'Policy (OPA)',
  cairn: 'Cairn',
};

const rank = (product: string) => {
  const found = LANE_ORDER.indexOf(product);
  return found === -1 ? LANE_ORDER.length : found;
};

export const kindOf = (event: EventRow): MarkKind =>
  isAlert(event) ? 'alert' : isRefused(event) ? 'refused' : 'event';

/** One lane per source that has events, each oldest first, in a fixed order. */
export function lanesOf(events: readonly EventRow[]): Lane[] {
  const byProduct = new Map<string, LaneMark[]>();
  for (const event of events) {
    const marks = byProduct.get(event.product) ?? [];
    marks.push({ event, at: Date.parse(event.timestamp), kind: kindOf(event) });
    byProduct.set(event.product, marks);
  }
  return [...byProduct.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([product, marks]) => ({
      product,
      label: LABELS[product] ?? product,
      marks: marks.sort((a, b) => a.at - b.at),
    }));
}

/** The time span all lanes share: the oldest mark to the newest, with a margin. */
export function extentOf(lanes: readonly Lane[]): { from: number; to: number } | undefined {
  const times = lanes.flatMap((lane) => lane.marks.map((mark) => mark.at));
  if (times.length === 0) return undefined;
  const from = Math.min(...times);
  const to = Math.max(...times);
  // A margin of 3% each side, so the first and last marks are not drawn on the edges.
  const margin = (to - from) * 0.03;
  return { from: from - margin, to: to + margin };
}
