export { ContainerdEventNormalizer } from './containerd/containerd.normalizer';
export { DistributionNormalizer } from './distribution/distribution.normalizer';
export { DockerEventNormalizer } from './docker/docker.normalizer';
export { FalcoNormalizer } from './falco/falco.normalizer';
export { HarborNormalizer } from './harbor/harbor.normalizer';
export { KubernetesAuditNormalizer } from './kubernetes-audit/kubernetes-audit.normalizer';
export { ManagedKubernetesNormalizer } from './managed-kubernetes/managed-kubernetes.normalizer';
export { GatekeeperDenialNormalizer } from './opa/gatekeeper.normalizer';
export { OpaDecisionNormalizer } from './opa/opa.normalizer';
export {
  decodeRawEvent,
  decodeRawMessage,
  type DecodedRaw,
  DEFAULT_DECODE_LIMITS,
  type DecodeLimits,
  type TextLineParser,
} from './decode-raw-event';
export {
  DEFAULT_NORMALIZE_OPTIONS,
  NORMALIZERS,
  normalizeRawEvent,
  type NormalizeOptions,
  type RawEventInput,
} from './normalize-raw-event';
export type { NormalizeContext, SourceNormalizer } from './source-normalizer';
export { parseImageReference, type ImageReference } from './common/image-reference';
