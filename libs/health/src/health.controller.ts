import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { READINESS, Readiness, type ReadinessReport } from './readiness';

/** /healthz: the process is alive. /readyz: its dependencies answer (503 with details otherwise). */
@Controller()
export class HealthController {
  constructor(@Inject(READINESS) private readonly readiness: Readiness) {}

  @Get('healthz')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readyz(): Promise<ReadinessReport> {
    const report = await this.readiness.report();
    if (!report.ready) throw new ServiceUnavailableException(report);
    return report;
  }
}
