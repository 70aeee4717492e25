export { KubernetesAuditNormalizer } from './kubernetes-audit/kubernetes-audit.normalizer';
export { NORMALIZERS, normalizeRawEvent, type RawEventInput } from './normalize-raw-event';
export type { NormalizeContext, SourceNormalizer } from './source-normalizer';
