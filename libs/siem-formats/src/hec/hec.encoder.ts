import type { AuditEventDocument } from '@cairn/event-schema';
import { controlsOf, epochMillis, namespaceOf } from '../common/event-view';

export interface HecOptions {
  /** The Splunk index; absent, the token's default index applies. */
  readonly index?: string;
  /** HEC's `source`. */
  readonly source?: string;
}

/**
 * One Splunk HTTP Event Collector event: `time` in epoch seconds with milliseconds, sourcetype
 * `cairn:<product>`, the stored document as `event`, and indexed `fields` (strings or lists of
 * strings, as HEC requires) for what searches filter on. Batches are these objects concatenated.
 */
export function encodeHec(document: AuditEventDocument, options: HecOptions = {}): string {
  const fields: Record<string, string | string[]> = {
    event_id: document.event.id,
    product: document.cairn.product,
    action: document.event.action,
    outcome: document.event.outcome,
  };
  const namespace = namespaceOf(document);
  if (namespace !== undefined) fields.namespace = namespace;
  const controls = controlsOf(document);
  if (controls.length > 0) fields.controls = [...controls];
  const host = document.host?.name ?? document.orchestrator?.cluster?.name ?? document.registry?.name;
  return JSON.stringify({
    time: epochMillis(document) / 1000,
    ...(host !== undefined && { host }),
    source: options.source ?? 'cairn',
    sourcetype: `cairn:${document.cairn.product}`,
    ...(options.index !== undefined && { index: options.index }),
    event: document,
    fields,
  });
}
