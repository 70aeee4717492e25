import { isRecord, type Json } from '../common/fields';

const count = (summary: Json, ...keys: string[]): number | undefined => {
  for (const key of keys) if (typeof summary[key] === 'number') return summary[key];
  return undefined;
};

/**
 * Harbor's scan_overview is keyed by report media type; the first report's status, scanner and
 * severity counts become fields (the whole report stays in event.original).
 */
export function scanFields(overview: Json | undefined) {
  const report = overview ? Object.values(overview).find(isRecord) : undefined;
  if (!report) return undefined;
  const summary = isRecord(report.summary) ? report.summary : {};
  const bySeverity = isRecord(summary.summary) ? summary.summary : {};
  const scanner = isRecord(report.scanner) ? report.scanner : {};
  const scannerName = [scanner.name, scanner.version].filter((part) => typeof part === 'string').join(' ');
  return {
    status: typeof report.scan_status === 'string' ? report.scan_status : undefined,
    scanner: scannerName || undefined,
    severity: typeof report.severity === 'string' ? report.severity : undefined,
    total: count(summary, 'total'),
    fixable: count(summary, 'fixable'),
    critical: count(bySeverity, 'Critical'),
    high: count(bySeverity, 'High'),
    medium: count(bySeverity, 'Medium'),
    low: count(bySeverity, 'Low'),
    unknown: count(bySeverity, 'Unknown'),
  };
}
