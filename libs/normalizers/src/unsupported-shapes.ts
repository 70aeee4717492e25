import { isRecord, type Json } from './common/fields';

/** A shape of a known source that Cairn recognizes but does not read, and what to do about it. */
interface UnsupportedShape {
  readonly matches: (raw: Json) => boolean;
  readonly explanation: string;
}

/** Harbor 1.x's webhook event types; 2.0 renamed them (PUSH_ARTIFACT, …) and changed the payloads. */
const HARBOR_1_TYPES = new Set([
  'pushImage',
  'pullImage',
  'deleteImage',
  'uploadChart',
  'downloadChart',
  'deleteChart',
  'scanningCompleted',
  'scanningFailed',
  'quotaExceed',
  'quotaWarning',
]);
const HARBOR_CHART_TYPES = new Set(['UPLOAD_CHART', 'DOWNLOAD_CHART', 'DELETE_CHART']);

const SHAPES: readonly UnsupportedShape[] = [
  {
    matches: (raw) =>
      typeof raw.type === 'string' && HARBOR_1_TYPES.has(raw.type) && raw.occur_at !== undefined,
    explanation:
      'a Harbor 1.x webhook (event type in camel case): Cairn reads Harbor 2.x webhooks, default or CloudEvents format; upgrade Harbor',
  },
  {
    matches: (raw) => typeof raw.event_type === 'string' && Array.isArray(raw.events),
    explanation:
      'a Harbor 1.x notification ({event_type, events}): Cairn reads Harbor 2.x webhooks, default or CloudEvents format; upgrade Harbor',
  },
  {
    matches: (raw) =>
      typeof raw.type === 'string' && HARBOR_CHART_TYPES.has(raw.type) && isRecord(raw.event_data),
    explanation:
      'a Harbor chart event (ChartMuseum, removed in Harbor 2.8): charts pushed as OCI artifacts arrive as PUSH_ARTIFACT',
  },
];

/** Why a message no normalizer took is a known but unsupported shape, if it is one. */
export function unsupportedShape(raw: unknown): string | undefined {
  if (!isRecord(raw)) return undefined;
  return SHAPES.find((shape) => shape.matches(raw))?.explanation;
}
