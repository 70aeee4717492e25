import type { ReportDocument } from './report-document';

/** A Markdown table cell: pipes escaped, line breaks flattened, so no value can break the table. */
function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  return String(value).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function table(header: readonly string[], rows: readonly (string | number | null | undefined)[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
}

/** A control's columns, the same in both renderings. */
function controlRow(control: ReportDocument['controls'][number]): (string | number | null)[] {
  const { id, title, status, evidenceCount, firstSeen, lastSeen, findings } = control;
  return [id, title, status, evidenceCount, firstSeen, lastSeen, findings.join('; ')];
}

const percent = (share: number) => `${Math.round(share * 1000) / 10} %`;

/** The report for people: every control with its status and evidence, then gaps, retention, completeness. */
export function reportAsMarkdown(report: ReportDocument): string {
  const counts = new Map<string, number>();
  for (const control of report.controls) counts.set(control.status, (counts.get(control.status) ?? 0) + 1);
  const lines = [
    `# ${report.framework.replace('_', ' ')} compliance report`,
    '',
    `Window ${report.from} to ${report.to} (UTC). Catalog and scope ${report.catalogVersion}.`,
    `Controls: ${[...counts.entries()].map(([status, count]) => `${count} ${status}`).join(', ') || 'none'}.`,
    '',
    '## Controls',
    '',
    ...table(
      ['Control', 'Title', 'Status', 'Evidence', 'First seen', 'Last seen', 'Findings'],
      report.controls.map(controlRow),
    ),
    '',
    `## Silence gaps (exact to ${report.silenceResolutionMinutes} minutes)`,
    '',
    ...(report.silenceGaps.length === 0
      ? ['No source was silent longer than its threshold.']
      : table(
          ['Source', 'Cluster', 'From', 'To', 'Minutes'],
          report.silenceGaps.map((g) => [g.product, g.cluster, g.from, g.to, g.minutes]),
        )),
  ];
  if (report.retention) {
    const r = report.retention;
    lines.push(
      '',
      '## Retention',
      '',
      `${r.met ? 'Met' : 'Not met'}: stored events cover ${r.coveredDays} of the ${r.requiredDays} days required ` +
        `(the latest ${r.immediateDays} immediately searchable); oldest event ${r.oldestEvent ?? 'none'}.`,
    );
  }
  if (report.fieldCompleteness.length > 0) {
    lines.push(
      '',
      '## Field completeness',
      '',
      ...table(
        ['Source', 'Events', 'Fields present'],
        report.fieldCompleteness.map((s) => [
          s.product,
          s.events,
          s.fields.map((f) => `${f.field} ${percent(f.share)}`).join(', '),
        ]),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. A field a
 * spreadsheet would read as a formula (=, +, -, @ first) is prefixed with an apostrophe.
 */
function csvField(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per control, for spreadsheets and evidence trackers. */
export function reportAsCsv(report: ReportDocument): string {
  const header = [
    'framework',
    'control',
    'title',
    'status',
    'evidence_count',
    'first_seen',
    'last_seen',
    'findings',
  ];
  const rows = report.controls.map((control) => [report.framework, ...controlRow(control)]);
  return `${[header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}
