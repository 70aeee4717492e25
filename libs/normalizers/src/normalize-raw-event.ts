import {
  capKeywordValues,
  CairnEventError,
  KEYWORD_MAX_LENGTH,
  EventErrorCode,
  validateAuditEvent,
  type AuditEventDocument,
  type Product,
} from '@cairn/event-schema';
import { ContainerdEventNormalizer } from './containerd/containerd.normalizer';
import { parseCtrEventLine } from './containerd/ctr-event-line';
import {
  decodeRawMessage,
  DEFAULT_DECODE_LIMITS,
  type DecodeLimits,
  type TextLineParser,
} from './decode-raw-event';
import { DistributionNormalizer } from './distribution/distribution.normalizer';
import { DockerEventNormalizer } from './docker/docker.normalizer';
import { FalcoNormalizer } from './falco/falco.normalizer';
import { HarborNormalizer } from './harbor/harbor.normalizer';
import { KubernetesAuditNormalizer } from './kubernetes-audit/kubernetes-audit.normalizer';
import { ManagedKubernetesNormalizer } from './managed-kubernetes/managed-kubernetes.normalizer';
import { GatekeeperDenialNormalizer } from './opa/gatekeeper.normalizer';
import { OpaDecisionNormalizer } from './opa/opa.normalizer';
import type { SourceNormalizer } from './source-normalizer';
import { unsupportedShape } from './unsupported-shapes';

/** Every source Cairn understands, in the order content detection tries them. */
export const NORMALIZERS: readonly SourceNormalizer[] = [
  new KubernetesAuditNormalizer(),
  new ManagedKubernetesNormalizer(),
  new FalcoNormalizer(),
  new DockerEventNormalizer(),
  new DistributionNormalizer(),
  new ContainerdEventNormalizer(),
  new HarborNormalizer(),
  new OpaDecisionNormalizer(),
  new GatekeeperDenialNormalizer(),
];

/** Non-JSON line formats, tried only for input that is not JSON. */
const TEXT_LINE_PARSERS: readonly TextLineParser[] = [parseCtrEventLine];

export interface RawEventInput {
  readonly bytes: Buffer;
  readonly receivedAt: Date;
  /** When a topic is bound to one product, only that normalizer is tried. */
  readonly product?: Product;
}

export interface NormalizeOptions extends DecodeLimits {
  /** Events further ahead of the ingest clock than this are refused. */
  readonly maxFutureSkewMs: number;
  /** Events older than this before the ingest clock are refused (undefined: no bound). */
  readonly maxEventAgeMs?: number;
  /** One message may become at most this many documents (a Kubernetes EventList, a registry envelope). */
  readonly maxEventsPerMessage: number;
  readonly normalizers: readonly SourceNormalizer[];
}

export const DEFAULT_NORMALIZE_OPTIONS: NormalizeOptions = {
  ...DEFAULT_DECODE_LIMITS,
  maxFutureSkewMs: 5 * 60 * 1000,
  maxEventsPerMessage: 1000,
  normalizers: NORMALIZERS,
};

function normalizeOne(
  raw: Record<string, unknown>,
  text: string,
  candidates: readonly SourceNormalizer[],
  input: RawEventInput,
  options: NormalizeOptions,
): AuditEventDocument[] {
  const normalizer = candidates.find((n) => n.canHandle(raw));
  if (!normalizer) {
    const unsupported = unsupportedShape(raw);
    if (unsupported)
      throw new CairnEventError(EventErrorCode.UnsupportedSourceVersion, `input is ${unsupported}`);
    const expected = input.product ? `a ${input.product} event` : 'any known source format';
    throw new CairnEventError(EventErrorCode.UnrecognizedSource, `input is not ${expected}`);
  }
  return normalizer.normalize(raw, {
    rawText: text,
    receivedAt: input.receivedAt,
    maxDepth: options.maxDepth,
  });
}

/**
 * Raw bytes to validated documents: decode, detect the source, normalize, validate. Every
 * failure is a CairnEventError with a stable code, so the caller can dead-letter it as it is.
 */
export function normalizeRawEvent(
  input: RawEventInput,
  options: NormalizeOptions = DEFAULT_NORMALIZE_OPTIONS,
): AuditEventDocument[] {
  const decoded = decodeRawMessage(input.bytes, options, TEXT_LINE_PARSERS);
  const candidates = input.product
    ? options.normalizers.filter((n) => n.product === input.product)
    : options.normalizers;
  const documents: AuditEventDocument[] = [];
  for (const { raw, text } of decoded) {
    documents.push(...normalizeOne(raw, text, candidates, input, options));
    if (documents.length > options.maxEventsPerMessage) break;
  }
  if (documents.length > options.maxEventsPerMessage) {
    throw new CairnEventError(
      EventErrorCode.TooManyEvents,
      `one message holds ${documents.length} events; at most ${options.maxEventsPerMessage} are accepted ` +
        '(CAIRN_MAX_EVENTS_PER_MESSAGE): split the batch at the sender',
    );
  }
  // A keyword value is made of pieces of the input and short constants, so it is never longer than
  // twice the message plus a little: below that, no value can need cutting and the pass is skipped.
  const mayNeedCuts = input.bytes.length * 2 + 256 > KEYWORD_MAX_LENGTH;
  const received = input.receivedAt.getTime();
  const latest = received + options.maxFutureSkewMs;
  const earliest = options.maxEventAgeMs === undefined ? -Infinity : received - options.maxEventAgeMs;
  for (const document of documents) {
    if (mayNeedCuts) capKeywordValues(document);
    validateAuditEvent(document);
    // Already canonical (validated above): Date.parse's ISO fast path is the quickest reader.
    const at = Date.parse(document['@timestamp']);
    if (at > latest) {
      throw new CairnEventError(
        EventErrorCode.TimestampInFuture,
        `@timestamp ${document['@timestamp']} is more than ${options.maxFutureSkewMs / 1000}s ahead of the ingest clock`,
      );
    }
    if (at < earliest) {
      throw new CairnEventError(
        EventErrorCode.TimestampTooOld,
        `@timestamp ${document['@timestamp']} is more than ${Math.round(options.maxEventAgeMs! / 86_400_000)} days ` +
          'before the ingest clock (CAIRN_MAX_EVENT_AGE_DAYS); see the README on backfilling older history',
      );
    }
  }
  return documents;
}
