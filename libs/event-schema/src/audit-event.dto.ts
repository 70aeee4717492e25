import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { OUTCOMES, PRODUCTS, SOURCE_KINDS, type AuditEventDocument } from './audit-event';
import { CairnEventError, EventErrorCode } from './cairn-event.error';

class EventPart {
  @Matches(/^[0-9a-f]{64}$/, { message: 'event.id must be 64 lower-case hex characters' })
  id!: string;

  @IsIn(['event', 'alert'])
  kind!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(256)
  action!: string;

  @IsIn(OUTCOMES)
  outcome!: string;

  @IsISO8601({ strict: true })
  ingested!: string;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  category?: string[];

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  type?: string[];
}

class CairnPart {
  @IsIn(SOURCE_KINDS)
  source_kind!: string;

  @IsIn(PRODUCTS)
  product!: string;

  @IsString()
  schema_version!: string;
}

/** What every stored event must satisfy, whatever its source. Source-specific parts are optional. */
class AuditEventDto {
  @IsISO8601({ strict: true }, { message: '@timestamp must be an ISO 8601 date' })
  '@timestamp'!: string;

  @ValidateNested()
  @Type(() => EventPart)
  event!: EventPart;

  @ValidateNested()
  @Type(() => CairnPart)
  cairn!: CairnPart;
}

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = `${prefix}${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((text) => `${path}: ${text}`);
    return [...own, ...flatten(error.children ?? [], `${path}.`)];
  });
}

/** Throws INVALID_NORMALIZED_EVENT when a normalizer produced something that must not be stored. */
export function validateAuditEvent(document: AuditEventDocument): void {
  const dto = plainToInstance(AuditEventDto, document);
  const problems = flatten(validateSync(dto));
  if (problems.length > 0) {
    throw new CairnEventError(EventErrorCode.InvalidNormalizedEvent, problems.join('; '));
  }
}
