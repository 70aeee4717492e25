import { parseScope } from '@cairn/compliance';
import type { ComplianceAggregations, ControlEvidence } from '@cairn/elasticsearch-store';
import { ComplianceReporter } from './compliance-reporter';
import { ControlStatus } from './compliance.model';

/** Status rules over fixed figures; the figures themselves are checked on the real stack (e2e). */
function reporterWith(scope: unknown, evidence: Record<string, number>, oldestDaysAgo?: number) {
  const now = new Date('2026-11-01T00:00:00Z');
  const figures = {
    evidence: (refs: readonly string[]): Promise<ControlEvidence[]> =>
      Promise.resolve(refs.map((ref) => ({ ref, count: evidence[ref] ?? 0, sampleIds: [] }))),
    completeness: () => Promise.resolve([]),
    oldestEvent: () =>
      Promise.resolve(
        oldestDaysAgo === undefined ? undefined : new Date(now.getTime() - oldestDaysAgo * 86_400_000),
      ),
    lastRetentionRun: () =>
      Promise.resolve({
        at: new Date('2026-10-30T03:00:00Z'),
        record: { deleted: ['cairn-events-2025.09'], held: ['cairn-events-2025.08'], days: 365 },
      }),
    silenceGaps: () =>
      Promise.resolve({
        gaps: [
          { product: 'falco', from: new Date('2026-10-31T22:00:00Z'), to: new Date('2026-10-31T23:30:00Z') },
        ],
        stepMs: 15 * 60_000,
      }),
    failedVerifications: () =>
      Promise.resolve([
        {
          at: new Date('2026-10-31T12:00:00Z'),
          message: 'integrity verification FAILED: 1 findings in 9 chains',
        },
      ]),
  } as unknown as ComplianceAggregations;
  return new ComplianceReporter(parseScope(scope), figures, () => now);
}

const window = [new Date('2026-10-01T00:00:00Z'), new Date('2026-11-01T00:00:00Z')] as const;
const statusOf = async (reporter: ComplianceReporter, framework: 'PCI_DSS' | 'HIPAA' | 'GDPR', id: string) =>
  (await reporter.report(framework, ...window)).controls.find((control) => control.id === id)!;

describe('ComplianceReporter', () => {
  it('marks scoped controls NOT_APPLICABLE when their framework has no scope, cluster ones by evidence', async () => {
    const reporter = reporterWith({}, { 'PCI_DSS:10.2.1.4': 3 });
    expect((await statusOf(reporter, 'PCI_DSS', '10.2.1.1')).status).toBe(ControlStatus.NOT_APPLICABLE);
    expect(await statusOf(reporter, 'PCI_DSS', '10.2.1.4')).toMatchObject({
      status: ControlStatus.EVIDENCED,
      evidenceCount: 3,
    });
    expect((await statusOf(reporter, 'PCI_DSS', '10.2.1.5')).status).toBe(ControlStatus.NO_EVIDENCE);
  });

  it('gives a scoped control with a scope but no events NO_EVIDENCE', async () => {
    const reporter = reporterWith({ scopes: { GDPR: { namespaces: ['crm'] } } }, {});
    expect((await statusOf(reporter, 'GDPR', 'Art. 30')).status).toBe(ControlStatus.NO_EVIDENCE);
  });

  it('judges retention by the oldest stored event', async () => {
    const short = await statusOf(reporterWith({}, {}, 100), 'PCI_DSS', '10.5.1');
    expect(short).toMatchObject({
      status: ControlStatus.NO_EVIDENCE,
      findings: ['events cover 100 days; 365 required'],
    });
    expect((await statusOf(reporterWith({}, {}, 400), 'PCI_DSS', '10.5.1')).status).toBe(
      ControlStatus.EVIDENCED,
    );
    expect((await reporterWith({}, {}).report('PCI_DSS', ...window)).retention).toMatchObject({
      coveredDays: 0,
      met: false,
      lastRun: {
        at: new Date('2026-10-30T03:00:00Z'),
        days: 365,
        deletedIndices: ['cairn-events-2025.09'],
        heldIndices: ['cairn-events-2025.08'],
      },
    });
  });

  it('puts silence gaps on the audit-logging controls as findings, in minutes', async () => {
    const report = await reporterWith({}, {}).report('PCI_DSS', ...window);
    expect(report.silenceGaps).toEqual([expect.objectContaining({ product: 'falco', minutes: 90 })]);
    expect(report.silenceResolutionMinutes).toBe(15);
    expect((await statusOf(reporterWith({}, {}), 'PCI_DSS', '10.2.1.6')).findings).toEqual([
      'falco sent nothing for 90 min from 2026-10-31T22:00:00.000Z',
    ]);
    // HIPAA asks for no silence analysis.
    expect((await reporterWith({}, {}).report('HIPAA', ...window)).silenceGaps).toEqual([]);
  });
});

it('lists failed integrity verifications as PCI DSS 10.3.4 and HIPAA 164.312(c)(2) findings', async () => {
  const reporter = reporterWith({}, { 'PCI_DSS:10.3.4': 3 });
  const pci = await reporter.report(
    'PCI_DSS',
    new Date('2026-10-01T00:00:00Z'),
    new Date('2026-11-01T00:00:00Z'),
  );
  const control = pci.controls.find((c) => c.id === '10.3.4')!;
  expect(control.status).toBe('EVIDENCED');
  expect(control.findings).toEqual([
    '2026-10-31T12:00:00.000Z: integrity verification FAILED: 1 findings in 9 chains',
  ]);
  const hipaa = await reporter.report(
    'HIPAA',
    new Date('2026-10-01T00:00:00Z'),
    new Date('2026-11-01T00:00:00Z'),
  );
  expect(hipaa.controls.find((c) => c.id === '164.312(c)(2)')!.findings).toHaveLength(1);
  expect(hipaa.controls.find((c) => c.id === '164.312(b)')!.findings).toEqual([]);
});
