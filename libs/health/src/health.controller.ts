import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { READINESS_PROBES, runProbes, type ReadinessProbe, type ReadinessReport } from './readiness';

/** /healthz: the process is alive. /readyz: its dependencies answer (503 with details otherwise). */
@Controller()
export class HealthController {
  constructor(@Inject(READINESS_PROBES) private readonly probes: ReadinessProbe[]) {}

  @Get('healthz')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readyz(): Promise<ReadinessReport> {
    const report = await runProbes(this.probes);
    if (!report.ready) throw new ServiceUnavailableException(report);
    return report;
  }
}
