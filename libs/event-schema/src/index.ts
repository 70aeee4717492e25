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
export { FIELD_CATALOG, FIELD_NAMES, SCHEMA_VERSION, type FieldSpec, type FieldType } from './field-catalog';
export { leafFieldNames, undeclaredFields } from './field-names';
