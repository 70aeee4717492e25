import type { AuditEventDocument } from '@cairn/event-schema';
import { severityLevel, type SeverityLevel } from '@cairn/siem-formats';
import type { FeedFilter } from './export/export-query';

export const SEVERITY_ORDER: readonly SeverityLevel[] = [
  'informational',
  'low',
  'medium',
  'high',
  'critical',
];

/** The same filter the export puts in its query, for events in hand (the push feeds). */
export function matchesFeedFilter(document: AuditEventDocument, filter: FeedFilter): boolean {
  if (filter.products?.length && !filter.products.includes(document.cairn.product)) return false;
  if (filter.sourceKinds?.length && !filter.sourceKinds.includes(document.cairn.source_kind)) return false;
  const controls = document.cairn.compliance?.controls ?? [];
  if (filter.controls?.length && !filter.controls.some((control) => controls.includes(control))) return false;
  if (filter.from && Date.parse(document['@timestamp']) < filter.from.getTime()) return false;
  if (filter.minSeverity) {
    return SEVERITY_ORDER.indexOf(severityLevel(document)) >= SEVERITY_ORDER.indexOf(filter.minSeverity);
  }
  return true;
}
