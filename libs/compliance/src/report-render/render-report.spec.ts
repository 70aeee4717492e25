import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportDocument } from './report-document';
import { reportAsCsv, reportAsMarkdown } from './render-report';

const GOLDEN = join(__dirname, 'golden');
const report = JSON.parse(readFileSync(join(GOLDEN, 'pci-dss-report.json'), 'utf8')) as ReportDocument;

function expectGolden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

describe('compliance report rendering', () => {
  it('renders Markdown: controls, silence gaps, retention and completeness', () => {
    expectGolden('pci-dss-report.md', reportAsMarkdown(report));
  });

  it('renders CSV by RFC 4180, one row per control', () => {
    expectGolden('pci-dss-report.csv', reportAsCsv(report));
  });

  it('keeps hostile text inside its cell: pipes in Markdown, quotes, commas and formulas in CSV', () => {
    const hostile: ReportDocument = {
      ...report,
      controls: [{ ...report.controls[0], title: 'a | b\nc', findings: ['=HYPERLINK("x")', 'one, "two"'] }],
    };
    expect(reportAsMarkdown(hostile)).toContain('| a \\| b c |');
    const row = reportAsCsv(hostile).split('\r\n')[1];
    expect(row).toContain('"\'=HYPERLINK(""x""); one, ""two"""');
    expect(row).toContain('"a | b\nc"');
  });
});
