import { SCHEMA_VERSION, type AuditEventDocument, type OriginalParts } from '@cairn/event-schema';
import type { SourceNormalizer } from '../source-normalizer';

/** The `cairn.*` part every normalizer writes the same way. */
export function cairnFields(
  normalizer: Pick<SourceNormalizer, 'product' | 'sourceKind'>,
  original: OriginalParts,
): AuditEventDocument['cairn'] {
  return {
    source_kind: normalizer.sourceKind,
    product: normalizer.product,
    schema_version: SCHEMA_VERSION,
    original: { size: original.size, truncated: original.truncated, sha256: original.sha256 },
  };
}
