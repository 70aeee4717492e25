import { parse } from 'yaml';

/** Events that must outlive retention: by namespace, actor or event id, each with a reason. */
export interface LegalHold {
  readonly namespace?: string;
  readonly actor?: string;
  readonly eventId?: string;
  readonly reason: string;
}

const KEYS = ['namespace', 'actor', 'eventId', 'reason'];

/**
 * The `legalHolds:` list of a CAIRN_CONFIG document. Each entry names exactly one of namespace,
 * actor or eventId, and a reason (a hold nobody can explain is one nobody can lift). Problems are
 * appended, each named by its path.
 */
export function parseLegalHolds(text: string, problems: string[]): LegalHold[] {
  let document: unknown;
  try {
    document = parse(text, { maxAliasCount: 0 });
  } catch {
    return []; // the file's reader (@cairn/config's ConfigFile) names the YAML error
  }
  const list = (document as { legalHolds?: unknown } | null)?.legalHolds;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    problems.push('legalHolds: must be a list of { namespace | actor | eventId, reason }');
    return [];
  }
  const holds: LegalHold[] = [];
  list.forEach((entry: unknown, index) => {
    const at = `legalHolds[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${at}: must be a mapping`);
      return;
    }
    const record = entry as Record<string, unknown>;
    const unknown = Object.keys(record).filter((key) => !KEYS.includes(key));
    if (unknown.length > 0)
      problems.push(`${at}: unknown key ${unknown[0]} (namespace, actor, eventId, reason)`);
    const selectors = ['namespace', 'actor', 'eventId'].filter((key) => record[key] !== undefined);
    if (selectors.length !== 1) {
      problems.push(`${at}: name exactly one of namespace, actor or eventId`);
      return;
    }
    const value = record[selectors[0]];
    if (typeof value !== 'string' || value.length === 0 || value.length > 512) {
      problems.push(`${at}.${selectors[0]}: must be a non-empty string`);
      return;
    }
    if (selectors[0] === 'eventId' && !/^[0-9a-f]{64}$/.test(value)) {
      problems.push(`${at}.eventId: must be an event id (64 lower-case hex characters)`);
      return;
    }
    if (typeof record.reason !== 'string' || record.reason.trim().length === 0) {
      problems.push(`${at}.reason: a hold needs a reason`);
      return;
    }
    holds.push({ [selectors[0]]: value, reason: record.reason.slice(0, 1024) });
  });
  return holds;
}
