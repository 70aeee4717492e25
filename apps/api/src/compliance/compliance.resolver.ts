import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { controlRef } from '@cairn/compliance';
import { callerOf, countResults, type PolicedRequest } from '@cairn/api-policy';
import { EventSearch } from '@cairn/elasticsearch-store';
import { Roles } from '../auth/roles.decorator';
import { badInput, toConnection, withCursorCheck } from '../investigations/connection';
import { EventConnection } from '../investigations/event-connection.model';
import { ComplianceReporter } from './compliance-reporter';
import { EvidenceArgs, ReportArgs } from './compliance.args';
import { ComplianceFramework, ComplianceReport } from './compliance.model';

const MAX_REPORT_DAYS = 400;

@Resolver()
export class ComplianceResolver {
  constructor(
    private readonly reporter: ComplianceReporter,
    private readonly search: EventSearch,
  ) {}

  @Query(() => [ComplianceFramework], { description: 'The catalog: frameworks, their controls and rules.' })
  @Roles('admin', 'investigator', 'auditor')
  complianceFrameworks(@Context('req') request: unknown): ComplianceFramework[] {
    const frameworks = this.reporter.frameworks();
    countResults(request, frameworks.length);
    return frameworks;
  }

  @Query(() => EventConnection, { description: 'The events that evidence one control, newest first.' })
  @Roles('admin', 'investigator', 'auditor')
  async complianceEvidence(
    @Args() args: EvidenceArgs,
    @Context('req') request: PolicedRequest & { ip: string },
  ): Promise<EventConnection> {
    const control = this.reporter.findControl(args.framework, args.control);
    if (!control) throw badInput(`control: ${args.framework} has no control "${args.control}"`);
    const result = await withCursorCheck(() =>
      this.search.search({
        filter: { from: args.from, to: args.to, controls: [controlRef(control)] },
        first: args.first,
        after: args.after,
        order: 'desc',
        caller: callerOf(request),
      }),
    );
    return toConnection(result, request);
  }

  @Query(() => ComplianceReport, {
    description:
      'Per control of a framework: evidence count, first and last seen, status, sample ids; plus field completeness (PCI 10.2.2), retention (PCI 10.5.1) and silence gaps.',
  })
  @Roles('admin', 'investigator', 'auditor')
  async complianceReport(
    @Args() args: ReportArgs,
    @Context('req') request: unknown,
  ): Promise<ComplianceReport> {
    if (args.to.getTime() <= args.from.getTime()) throw badInput('to must be after from');
    if (args.to.getTime() - args.from.getTime() > MAX_REPORT_DAYS * 86_400_000) {
      throw badInput(`a report covers at most ${MAX_REPORT_DAYS} days`);
    }
    const report = await this.reporter.report(args.framework, args.from, args.to);
    countResults(request, report.controls.length);
    return report;
  }
}
