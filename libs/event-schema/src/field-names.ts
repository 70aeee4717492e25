import { FIELD_NAMES } from './field-catalog';

/** Dotted names of every leaf value in a document (array elements count as their parent field). */
export function leafFieldNames(document: object, prefix = ''): string[] {
  return Object.entries(document).flatMap(([key, value]) => {
    const name = `${prefix}${key}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return leafFieldNames(value as object, `${name}.`);
    }
    return [name];
  });
}

export function undeclaredFields(document: object): string[] {
  return leafFieldNames(document).filter((name) => !FIELD_NAMES.has(name));
}
