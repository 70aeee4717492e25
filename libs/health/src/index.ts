export { HealthController } from './health.controller';
export { READINESS_PROBES, runProbes, type ReadinessProbe, type ReadinessReport } from './readiness';
