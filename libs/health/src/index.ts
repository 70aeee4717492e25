export { HealthController, READINESS_DETAIL, type ReadinessDetail } from './health.controller';
export { READINESS, Readiness, type ReadinessProbe, type ReadinessReport } from './readiness';
