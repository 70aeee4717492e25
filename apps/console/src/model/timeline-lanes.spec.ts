import type { EventRow } from './event-row';
import { extentOf, lanesOf } from './timeline-lanes';

let next = 0;
function event(product: string, timestamp: string, extra: Partial<EventRow> = {}): EventRow {
  next += 1;
  return {
    id: `e${next}`,
    timestamp,
    product,
    sourceKind:
      product === 'kubernetes' ? 'ORCHESTRATOR' : product === 'distribution' ? 'REGISTRY' : 'RUNTIME',
    action: 'start',
    outcome: 'SUCCESS',
    severity: null,
    message: null,
    actor: { name: null },
    container: null,
    pod: null,
    image: null,
    kubernetes: null,
    rule: null,
    ...extra,
  };
}

const falco = event('falco', '2026-12-01T10:02:00Z', {
  rule: { name: 'Terminal shell in container', priority: 'Notice' },
});
const events = [
  event('kubernetes', '2026-12-01T10:03:00Z'),
  event('docker', '2026-12-01T10:01:00Z'),
  falco,
  event('kubernetes', '2026-12-01T10:00:00Z', { outcome: 'FAILURE' }),
  event('distribution', '2026-12-01T09:59:00Z'),
];

it('gives each source one lane, in the order a container life reads, each oldest first', () => {
  const lanes = lanesOf(events);
  expect(lanes.map((lane) => lane.product)).toEqual(['distribution', 'docker', 'falco', 'kubernetes']);
  expect(lanes[3].marks.map((mark) => mark.event.timestamp)).toEqual([
    '2026-12-01T10:00:00Z',
    '2026-12-01T10:03:00Z',
  ]);
});

it('marks Falco alerts and refused requests apart from the rest', () => {
  const kinds = lanesOf(events).flatMap((lane) => lane.marks.map((mark) => `${lane.product}:${mark.kind}`));
  expect(kinds).toEqual([
    'distribution:event',
    'docker:event',
    'falco:alert',
    'kubernetes:refused',
    'kubernetes:event',
  ]);
});

it('puts an unknown source after the known ones, under its own name', () => {
  const lanes = lanesOf([event('podman', '2026-12-01T10:00:00Z'), event('docker', '2026-12-01T10:00:00Z')]);
  expect(lanes.map((lane) => lane.label)).toEqual(['Runtime (Docker)', 'podman']);
});

it('spans every lane from the oldest mark to the newest, with a margin of 3% each side', () => {
  const margin = 4 * 60_000 * 0.03;
  expect(extentOf(lanesOf(events))).toEqual({
    from: Date.parse('2026-12-01T09:59:00Z') - margin,
    to: Date.parse('2026-12-01T10:03:00Z') + margin,
  });
  expect(extentOf([])).toBeUndefined();
});
