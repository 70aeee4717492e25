import {
  CairnEventError,
  EventErrorCode,
  validateAuditEvent,
  type AuditEventDocument,
  type Product,
} from '@cairn/event-schema';
import { KubernetesAuditNormalizer } from './kubernetes-audit/kubernetes-audit.normalizer';
import type { SourceNormalizer } from './source-normalizer';

/** Every source Cairn understands, in the order content detection tries them. */
export const NORMALIZERS: readonly SourceNormalizer[] = [new KubernetesAuditNormalizer()];

export interface RawEventInput {
  readonly bytes: Buffer;
  readonly receivedAt: Date;
  /** When a topic is bound to one product, only that normalizer is tried. */
  readonly product?: Product;
}

/**
 * Raw bytes to validated documents: decode, detect the source, normalize, validate. Every
 * failure is a CairnEventError with a stable code, so the caller can dead-letter it as is.
 */
export function normalizeRawEvent(input: RawEventInput, normalizers = NORMALIZERS): AuditEventDocument[] {
  const rawText = input.bytes.toString('utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(rawText);
  } catch (error) {
    throw new CairnEventError(EventErrorCode.MalformedJson, `not JSON: ${(error as Error).message}`);
  }
  const candidates = input.product ? normalizers.filter((n) => n.product === input.product) : normalizers;
  const normalizer = candidates.find((n) => n.canHandle(raw));
  if (!normalizer) {
    const expected = input.product ? `a ${input.product} event` : 'any known source format';
    throw new CairnEventError(EventErrorCode.UnrecognizedSource, `input is not ${expected}`);
  }
  const documents = normalizer.normalize(raw, { rawText, receivedAt: input.receivedAt });
  documents.forEach(validateAuditEvent);
  return documents;
}
