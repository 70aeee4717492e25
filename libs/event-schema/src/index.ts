export {
  OUTCOMES,
  PRODUCTS,
  SOURCE_KINDS,
  type AuditEventDocument,
  type Outcome,
  type Product,
  type SourceKind,
} from './audit-event';
export { validateAuditEvent } from './audit-event.dto';
export { CairnEventError, EventErrorCode } from './cairn-event.error';
export {
  deterministicEventId,
  originalParts,
  ORIGINAL_SIZE_CAP_BYTES,
  type OriginalParts,
} from './event-identity';
export {
  FIELD_CATALOG,
  FIELD_NAMES,
  KEYWORD_MAX_LENGTH,
  SCHEMA_VERSION,
  type FieldSpec,
  type FieldType,
} from './field-catalog';
export { canonicalHash } from './canonical-hash';
export { contentFingerprint, FingerprintCache, remainderEncoding } from './content-fingerprint';
export { canonicalEncoding, type LeftOutFields } from './canonical-encoding';
export { capKeywordValues } from './keyword-caps';
export { leafFieldNames, undeclaredFields } from './field-names';
