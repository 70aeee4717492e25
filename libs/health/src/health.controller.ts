import { Controller, Get, Inject, Optional, Req, ServiceUnavailableException } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { LIVENESS_POLICY, policyConfig, READINESS_POLICY } from '@cairn/api-policy';
import { READINESS, Readiness, type ReadinessReport } from './readiness';

/** Who may see why a dependency failed (its error text names hosts, versions, credentials' users). */
export const READINESS_DETAIL = Symbol('READINESS_DETAIL');
export type ReadinessDetail = (request: unknown) => boolean;

/**
 * /healthz: the process is alive. /readyz: its dependencies answer (503 otherwise), saying which
 * check failed; the error text only to callers READINESS_DETAIL admits (none by default).
 */
@Controller()
export class HealthController {
  constructor(
    @Inject(READINESS) private readonly readiness: Readiness,
    @Optional() @Inject(READINESS_DETAIL) private readonly detail?: ReadinessDetail,
  ) {}

  @Get('healthz')
  @RouteConfig(policyConfig(LIVENESS_POLICY))
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @RouteConfig(policyConfig(READINESS_POLICY))
  async readyz(@Req() request: unknown): Promise<ReadinessReport> {
    const full = await this.readiness.report();
    const report = this.detail?.(request) ? full : withoutErrorText(full);
    if (!report.ready) throw new ServiceUnavailableException(report);
    return report;
  }
}

function withoutErrorText(report: ReadinessReport): ReadinessReport {
  const checks = Object.fromEntries(
    Object.entries(report.checks).map(([name, check]) => [
      name,
      { ok: check.ok, ...(check.failingForMs === undefined ? {} : { failingForMs: check.failingForMs }) },
    ]),
  );
  return { ready: report.ready, checks };
}
