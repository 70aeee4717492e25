import { createHash } from 'node:crypto';
import type { AuditEventDocument } from './audit-event';
import { FIELD_CATALOG, KEYWORD_MAX_LENGTH } from './field-catalog';

const KEYWORD_PATHS: readonly (readonly string[])[] = FIELD_CATALOG.filter(
  (field) => field.type === 'keyword',
).map((field) => field.name.split('.'));

/** Cut at `max` UTF-16 units without leaving half of a surrogate pair behind. */
function cut(value: string, max: number): string {
  const code = value.charCodeAt(max - 1);
  return value.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

/**
 * Cuts every keyword value longer than `max` to `max` and records which field was cut and the
 * SHA-256 of its whole value. Elasticsearch would keep such a value in _source but leave it out of
 * the index (ignore_above), so a filter on it would silently find nothing; cut, its first `max`
 * characters stay searchable and the hash still proves what the whole value was.
 */
export function capKeywordValues(
  document: AuditEventDocument,
  max: number = KEYWORD_MAX_LENGTH,
): AuditEventDocument {
  const fields: string[] = [];
  const hashes: string[] = [];
  for (const path of KEYWORD_PATHS) {
    let parent: Record<string, unknown> | undefined = document as unknown as Record<string, unknown>;
    for (let i = 0; i < path.length - 1 && parent; i += 1) {
      const next: unknown = parent[path[i]];
      parent = next !== null && typeof next === 'object' ? (next as Record<string, unknown>) : undefined;
    }
    if (!parent) continue;
    const leaf = path[path.length - 1];
    const value = parent[leaf];
    if (typeof value === 'string') {
      if (value.length <= max) continue;
      fields.push(path.join('.'));
      hashes.push(sha256(value));
      parent[leaf] = cut(value, max);
    } else if (Array.isArray(value)) {
      parent[leaf] = value.map((element: unknown) => {
        if (typeof element !== 'string' || element.length <= max) return element;
        fields.push(path.join('.'));
        hashes.push(sha256(element));
        return cut(element, max);
      });
    }
  }
  if (fields.length > 0) document.cairn.truncated = { fields, sha256: hashes };
  return document;
}
