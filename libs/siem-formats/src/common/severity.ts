import type { AuditEventDocument } from '@cairn/event-schema';

/** One severity ladder for every format, so a SIEM's view of an event does not depend on the format. */
export type SeverityLevel = 'critical' | 'high' | 'medium' | 'low' | 'informational';

const FROM_SYSLOG: readonly SeverityLevel[] = [
  'critical', // 0 emergency
  'critical', // 1 alert
  'critical', // 2 critical
  'high', // 3 error
  'medium', // 4 warning
  'low', // 5 notice
  'informational', // 6 informational
  'informational', // 7 debug
];

const FROM_SCAN: Readonly<Record<string, SeverityLevel>> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
};

/**
 * The event's own severity where its source gives one (Falco's priority, on the syslog scale in
 * event.severity; a scan's worst finding); otherwise a refused or failed action is `low` (it should
 * stand out from routine success) and everything else `informational`.
 */
export function severityLevel(document: AuditEventDocument): SeverityLevel {
  const syslog = document.event.severity;
  if (syslog !== undefined && syslog >= 0 && syslog <= 7) return FROM_SYSLOG[syslog];
  const scanned = document.registry?.scan?.severity?.toLowerCase();
  if (scanned !== undefined && FROM_SCAN[scanned]) return FROM_SCAN[scanned];
  if (document.event.kind === 'alert') return 'high';
  return document.event.outcome === 'failure' ? 'low' : 'informational';
}

/** CEF's 0–10 and LEEF's 1–10 scales. */
export const TEN_POINT: Readonly<Record<SeverityLevel, number>> = {
  critical: 10,
  high: 8,
  medium: 5,
  low: 3,
  informational: 1,
};

/** RFC 5424 severities (2 critical … 6 informational). */
export const SYSLOG_SEVERITY: Readonly<Record<SeverityLevel, number>> = {
  critical: 2,
  high: 3,
  medium: 4,
  low: 5,
  informational: 6,
};
