import 'reflect-metadata';
import {
  getMetadataStorage,
  IsIn,
  IsString,
  Length,
  Matches,
  ValidateBy,
  validateSync,
  type ValidationArguments,
  type ValidationError,
} from 'class-validator';
import { OUTCOMES, PRODUCTS, SOURCE_KINDS, type AuditEventDocument } from './audit-event';
import { CairnEventError, EventErrorCode } from './cairn-event.error';

/** The one form Cairn stores (Date#toISOString): cheaper to check than ISO 8601 at large. */
const UTC_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UTC_MESSAGE = { message: 'must be a UTC timestamp with milliseconds' };

/** Absent, or a list of strings: one constraint where three (optional, array, each string) cost three times. */
function IsOptionalStringList() {
  return ValidateBy({
    name: 'isOptionalStringList',
    validator: {
      validate: (value: unknown) =>
        value === undefined || (Array.isArray(value) && value.every((item) => typeof item === 'string')),
      defaultMessage: () => 'must be a list of strings',
    },
  });
}

/**
 * What every stored event must satisfy, whatever its source; source-specific parts are optional.
 * Flat on purpose: nested DTOs doubled the cost of validating every event
 * (npm run bench:normalize), and the field names below keep the errors in the stored names.
 */
class AuditEventCore {
  @Matches(UTC_TIMESTAMP, UTC_MESSAGE)
  timestamp!: unknown;

  @Matches(/^[0-9a-f]{64}$/, { message: 'must be 64 lower-case hex characters' })
  eventId!: unknown;

  @IsIn(['event', 'alert'])
  kind!: unknown;

  @Length(1, 256)
  action!: unknown;

  @IsIn(OUTCOMES)
  outcome!: unknown;

  @Matches(UTC_TIMESTAMP, UTC_MESSAGE)
  ingested!: unknown;

  @IsOptionalStringList()
  category?: unknown;

  @IsOptionalStringList()
  type?: unknown;

  @IsIn(SOURCE_KINDS)
  sourceKind!: unknown;

  @IsIn(PRODUCTS)
  product!: unknown;

  @IsString()
  schemaVersion!: unknown;
}

const FIELD: Record<keyof AuditEventCore, string> = {
  timestamp: '@timestamp',
  eventId: 'event.id',
  kind: 'event.kind',
  action: 'event.action',
  outcome: 'event.outcome',
  ingested: 'event.ingested',
  category: 'event.category',
  type: 'event.type',
  sourceKind: 'cairn.source_kind',
  product: 'cairn.product',
  schemaVersion: 'cairn.schema_version',
};

function core(document: AuditEventDocument): AuditEventCore {
  const event: Partial<AuditEventDocument['event']> = isObject(document.event) ? document.event : {};
  const cairn: Partial<AuditEventDocument['cairn']> = isObject(document.cairn) ? document.cairn : {};
  const dto = new AuditEventCore();
  dto.timestamp = document['@timestamp'];
  dto.eventId = event.id;
  dto.kind = event.kind;
  dto.action = event.action;
  dto.outcome = event.outcome;
  dto.ingested = event.ingested;
  dto.category = event.category;
  dto.type = event.type;
  dto.sourceKind = cairn.source_kind;
  dto.product = cairn.product;
  dto.schemaVersion = cairn.schema_version;
  return dto;
}

const isObject = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const OPTIONS = { validationError: { target: false, value: false } } as const;

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((error) =>
    Object.values(error.constraints ?? {}).map(
      (text) => `${FIELD[error.property as keyof AuditEventCore]}: ${text.replace(`${error.property} `, '')}`,
    ),
  );
}

type Check = (dto: AuditEventCore) => boolean;

/**
 * The class-validator constraints declared on AuditEventCore, called directly. validateSync looks
 * its metadata up again on every call and builds error objects for valid properties too, which
 * made it the largest cost of normalizing after JSON.parse; the constraints themselves (and so the
 * rules) are exactly the decorators'. A failing event still goes through validateSync, for its
 * messages. Decorator kinds this cannot run stop the process at load, not silently.
 */
function compileChecks(): Check[] {
  const storage = getMetadataStorage();
  return storage.getTargetValidationMetadatas(AuditEventCore, '', false, false).map((metadata) => {
    const property = metadata.propertyName as keyof AuditEventCore;
    const [constraint] = metadata.constraintCls
      ? storage.getTargetValidatorConstraints(metadata.constraintCls)
      : [];
    if (metadata.type !== 'customValidation' || metadata.each || !constraint || constraint.async) {
      throw new Error(`audit event validation: cannot precompile ${metadata.type} on ${property}`);
    }
    const validator = constraint.instance as { validate(value: unknown, args: ValidationArguments): unknown };
    return (dto) => {
      const value = dto[property];
      const args = {
        value,
        constraints: metadata.constraints,
        targetName: 'AuditEventCore',
        object: dto,
        property,
      };
      return validator.validate(value, args) === true;
    };
  });
}

const CHECKS = compileChecks();

/** Whether the precompiled checks accept a document; exported for the equivalence test. */
export function passesCoreChecks(document: AuditEventDocument): boolean {
  const dto = core(document);
  return CHECKS.every((check) => check(dto));
}

/** Every problem validateSync finds, named by stored field. */
export function coreProblems(document: AuditEventDocument): string[] {
  return describe(validateSync(core(document), OPTIONS));
}

/** Throws INVALID_NORMALIZED_EVENT when a normalizer produced something that must not be stored. */
export function validateAuditEvent(document: AuditEventDocument): void {
  if (passesCoreChecks(document)) return;
  const problems = coreProblems(document);
  if (problems.length > 0) {
    throw new CairnEventError(EventErrorCode.InvalidNormalizedEvent, problems.join('; '));
  }
}
