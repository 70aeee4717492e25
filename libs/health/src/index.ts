export { HealthController } from './health.controller';
export { READINESS, Readiness, type ReadinessProbe, type ReadinessReport } from './readiness';
