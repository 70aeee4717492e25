import {
  ComplianceEngine,
  controlRef,
  FRAMEWORK_INFO,
  PCI_RECORD_FIELDS,
  type ComplianceScope,
  type Control,
  type Framework,
  type ReportExtra,
} from '@cairn/compliance';
import type { ComplianceAggregations, RetentionRun } from '@cairn/elasticsearch-store';
import {
  ControlStatus,
  type ComplianceControl,
  type ComplianceFramework,
  type ComplianceReport,
  type Framework as GraphQLFramework,
  type RetentionFinding,
} from './compliance.model';

const DAY_MS = 86_400_000;

function describeControl(control: Control): ComplianceControl {
  return {
    framework: control.framework as GraphQLFramework,
    id: control.id,
    title: control.title,
    summary: control.summary,
    citation: control.citation,
    applies: control.applies,
    requiredFields: [...(control.requiredFields ?? [])],
    rules: control.rules.map((rule) => ({ id: rule.id, description: rule.description })),
  };
}

/** Builds the auditor's answers from the catalog, the scope, and the store's aggregations. */
export class ComplianceReporter {
  readonly engine: ComplianceEngine;

  constructor(
    private readonly scope: ComplianceScope,
    private readonly aggregations: ComplianceAggregations,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.engine = new ComplianceEngine(scope);
  }

  frameworks(): ComplianceFramework[] {
    return FRAMEWORK_INFO.map((info) => ({
      id: info.id as GraphQLFramework,
      name: info.name,
      version: info.version,
      citation: info.citation,
      scopeConfigured: this.engine.isConfigured(info.id),
      controls: this.controlsOf(info.id).map(describeControl),
    }));
  }

  findControl(framework: Framework, id: string): Control | undefined {
    return this.engine.controls.find((control) => control.framework === framework && control.id === id);
  }

  private controlsOf(framework: Framework): Control[] {
    return this.engine.controls.filter((control) => control.framework === framework);
  }

  async report(framework: Framework, from: Date, to: Date): Promise<ComplianceReport> {
    const window = { from, to };
    const controls = this.controlsOf(framework);
    const wants = (extra: ReportExtra) => controls.some((control) => control.report?.includes(extra));
    const [evidence, completeness, oldest, silence, lastRun, failedVerifications] = await Promise.all([
      this.aggregations.evidence(controls.filter((c) => c.rules.length > 0).map(controlRef), window),
      wants('field-completeness')
        ? this.aggregations.completeness(PCI_RECORD_FIELDS, window)
        : Promise.resolve([]),
      wants('retention') ? this.aggregations.oldestEvent() : Promise.resolve(undefined),
      wants('silence-gaps')
        ? this.aggregations.silenceGaps(window, this.scope.silenceThresholdMinutes * 60_000)
        : Promise.resolve({ gaps: [], stepMs: 0 }),
      wants('retention') ? this.aggregations.lastRetentionRun() : Promise.resolve(undefined),
      wants('integrity-verifications') ? this.aggregations.failedVerifications(window) : Promise.resolve([]),
    ]);
    const retention = wants('retention') ? this.retention(oldest, lastRun) : undefined;
    const silenceGaps = silence.gaps.map((gap) => ({
      ...gap,
      minutes: Math.round((gap.to.getTime() - gap.from.getTime()) / 60_000),
    }));
    const byRef = new Map(evidence.map((entry) => [entry.ref, entry]));
    return {
      framework: framework as GraphQLFramework,
      from,
      to,
      catalogVersion: this.engine.version,
      fieldCompleteness: completeness.map((source) => ({
        product: source.product,
        events: source.events,
        fields: Object.entries(source.shares).map(([field, share]) => ({ field, share })),
      })),
      retention,
      silenceGaps,
      silenceResolutionMinutes: Math.round(silence.stepMs / 60_000),
      controls: controls.map((control) => {
        const found = byRef.get(controlRef(control));
        const findings: string[] = [];
        if (control.report?.includes('silence-gaps')) {
          findings.push(
            ...silenceGaps.map(
              (gap) =>
                `${gap.product}${gap.cluster ? ` (${gap.cluster})` : ''} sent nothing for ${gap.minutes} min from ${gap.from.toISOString()}`,
            ),
          );
        }
        if (control.report?.includes('integrity-verifications')) {
          findings.push(...failedVerifications.map((run) => `${run.at.toISOString()}: ${run.message}`));
        }
        if (control.report?.includes('retention') && retention && !retention.met) {
          findings.push(`events cover ${retention.coveredDays} days; ${retention.requiredDays} required`);
        }
        let status: ControlStatus;
        if (control.applies === 'scoped' && !this.engine.isConfigured(framework))
          status = ControlStatus.NOT_APPLICABLE;
        else if (control.rules.length === 0)
          status = retention?.met ? ControlStatus.EVIDENCED : ControlStatus.NO_EVIDENCE;
        else status = found && found.count > 0 ? ControlStatus.EVIDENCED : ControlStatus.NO_EVIDENCE;
        return {
          id: control.id,
          title: control.title,
          status,
          evidenceCount: found?.count ?? 0,
          firstSeen: found?.firstSeen,
          lastSeen: found?.lastSeen,
          sampleEventIds: found?.sampleIds ?? [],
          findings,
        };
      }),
    };
  }

  private retention(oldest: Date | undefined, run: RetentionRun | undefined): RetentionFinding {
    const { days, immediateDays } = this.scope.retention;
    const coveredDays = oldest ? Math.floor((this.now().getTime() - oldest.getTime()) / DAY_MS) : 0;
    const lastRun = run && {
      at: run.at,
      days: run.record.days,
      deletedIndices: [...run.record.deleted],
      heldIndices: [...run.record.held],
    };
    return {
      oldestEvent: oldest,
      requiredDays: days,
      immediateDays,
      coveredDays,
      met: coveredDays >= days,
      lastRun,
    };
  }
}
