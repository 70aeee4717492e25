import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { Environment } from './environment';

const SECRET_NAME = /(KEY|PASSWORD|TOKEN|SECRET)/;

function describe(errors: ValidationError[]): string[] {
  return errors.map((error) => {
    const shown = SECRET_NAME.test(error.property) ? '' : ` (got ${JSON.stringify(error.value)})`;
    return `${error.property}: ${Object.values(error.constraints ?? {}).join('; ')}${shown}`;
  });
}

/** Class-validator over the environment: defaults apply only to unset variables, never to bad ones. */
export function validateSettings<T extends object>(
  cls: new () => T,
  env: Environment,
  problems: string[],
): T {
  const settings = plainToInstance(
    cls,
    { ...env },
    { excludeExtraneousValues: true, exposeDefaultValues: true },
  );
  problems.push(...describe(validateSync(settings)));
  return settings;
}
