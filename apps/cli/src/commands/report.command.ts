import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { REPORT_SELECTION, reportAsCsv, reportAsMarkdown, type ReportDocument } from '@cairn/compliance';
import { ConfigError } from '@cairn/config';
import { apiAccess, graphqlRequest } from '../api-access';
import { UsageError } from '../usage-error';
import type { CliCommand } from './cli-command';

const FRAMEWORKS = ['PCI_DSS', 'HIPAA', 'GDPR'];

const HELP = `usage: cairn report --framework PCI_DSS|HIPAA|GDPR [--from TIME] [--to TIME] [--format markdown|csv] [--out FILE]

A compliance report from the API (the complianceReport query): every control with its status,
evidence count and findings, the silence gaps, and for PCI DSS retention and field completeness.
Markdown (default) for people, CSV (one row per control) for evidence trackers; to FILE or stdout.
The window defaults to the last 30 days. The API from CAIRN_API_URL, an auditor (or admin or
investigator) token from CAIRN_TOKEN or CAIRN_TOKEN_FILE, its CA from CAIRN_API_CA_FILE.`;

const QUERY = `query Report($framework: Framework!, $from: DateTime!, $to: DateTime!) {
  complianceReport(framework: $framework, from: $from, to: $to) { ${REPORT_SELECTION} } }`;

function time(value: string | undefined, fallback: Date, name: string): string {
  if (value === undefined) return fallback.toISOString();
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new UsageError(`report: --${name} needs a date (ISO 8601)`);
  return parsed.toISOString();
}

export const reportCommand: CliCommand = {
  name: 'report',
  summary: 'a compliance report as Markdown or CSV',
  help: HELP,
  run: async ({ args }) => {
    const { values, positionals } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: {
        framework: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
      },
    });
    if (positionals.length > 0) throw new UsageError(`report: unexpected ${positionals[0]}`);
    if (!values.framework || !FRAMEWORKS.includes(values.framework))
      throw new UsageError(`report: --framework is one of ${FRAMEWORKS.join(', ')}`);
    const format = values.format ?? 'markdown';
    if (format !== 'markdown' && format !== 'csv')
      throw new UsageError('report: --format is markdown or csv');
    const now = new Date();
    const to = time(values.to, now, 'to');
    const from = time(values.from, new Date(Date.parse(to) - 30 * 86_400_000), 'from');
    const access = apiAccess('auditor');
    const answer = await graphqlRequest<{ complianceReport: ReportDocument }>(access, QUERY, {
      framework: values.framework,
      from,
      to,
    });
    const error = answer.errors?.[0];
    if (error || !answer.data) {
      const code = error?.extensions?.code;
      const message = `the API answered ${answer.status}${code ? ` ${code}` : ''}: ${error?.message ?? 'no report'}`;
      if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN')
        throw new ConfigError([`CAIRN_TOKEN: ${message}`]);
      throw new Error(message);
    }
    const report = answer.data.complianceReport;
    const rendered = format === 'csv' ? reportAsCsv(report) : reportAsMarkdown(report);
    const summary = {
      framework: report.framework,
      from: report.from,
      to: report.to,
      controls: report.controls.length,
      withoutEvidence: report.controls.filter((c) => c.status === 'NO_EVIDENCE').map((c) => c.id),
      silenceGaps: report.silenceGaps.length,
    };
    if (values.out) {
      await writeFile(values.out, rendered);
      return {
        output: { ...summary, written: values.out },
        text: `${format} report written to ${values.out}`,
        code: 0,
      };
    }
    process.stdout.write(rendered);
    return { output: summary, silent: true, code: 0 };
  },
};
