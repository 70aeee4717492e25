import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { ApiErrorCode, apiError, countResults } from '@cairn/api-policy';
import type { IntegrityFinding } from '@cairn/integrity';
import { IntegrityAudit, type IntegrityReport } from '@cairn/integrity-store';
import { Roles } from '../auth/roles.decorator';
import { IntegrityReportArgs, IntegrityReportModel, type IntegrityFindingModel } from './integrity.model';

const toFinding = (finding: IntegrityFinding): IntegrityFindingModel => ({
  kind: finding.kind,
  chain: finding.chain,
  message: finding.message,
  seqFrom: finding.seqFrom ?? null,
  seqTo: finding.seqTo ?? null,
  events: (finding.events ?? []).map((event) => ({
    id: event.id,
    index: event.index,
    seq: event.seq ?? null,
  })),
  checkpoint: finding.checkpoint ?? null,
  from: finding.from ?? null,
  to: finding.to ?? null,
});

/** For auditors: is the stored trail complete and unaltered? Recomputed from the store, on request. */
@Resolver()
export class IntegrityResolver {
  constructor(private readonly audit?: IntegrityAudit) {}

  @Query(() => IntegrityReportModel, {
    description:
      "Recomputes every event's hash and every link of every chain and checks them against the signed checkpoints.",
  })
  @Roles('admin', 'auditor')
  async integrityReport(
    @Args() args: IntegrityReportArgs,
    @Context('req') request: unknown,
  ): Promise<IntegrityReportModel> {
    if (!this.audit) {
      throw apiError(
        ApiErrorCode.IntegrityDisabled,
        'this deployment runs with CAIRN_INTEGRITY=off: nothing is chained',
      );
    }
    if (args.from && args.to && args.from > args.to) {
      throw apiError(ApiErrorCode.BadUserInput, 'from must not be after to');
    }
    const report: IntegrityReport = await this.audit.verify({ from: args.from, to: args.to });
    countResults(request, report.eventsVerified);
    return { ...report, findings: report.findings.map(toFinding) };
  }
}
