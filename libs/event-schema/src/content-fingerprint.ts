import { hash } from 'node:crypto';
import type { AuditEventDocument } from './audit-event';
import { canonicalEncoding, type LeftOutFields } from './canonical-encoding';

/**
 * Left out of the fingerprint: the event's dates (a re-sent event may carry new ones), the raw
 * bytes and their size (whitespace and key order differ between senders), the compliance tags
 * (re-tagged later, and scoped per deployment), the position in the raw topic (a sender that
 * retries writes the same event at another offset) and the integrity chain link that follows it.
 */
const LEFT_OUT: LeftOutFields = {
  '': new Set(['@timestamp']),
  event: new Set(['original', 'ingested', 'created']),
  cairn: new Set(['original', 'compliance', 'position', 'integrity']),
};

/**
 * What an event says, apart from when it says it happened and how its bytes were spelled: two
 * documents with one id and one fingerprint are the same event (a replay, perhaps re-sent with a
 * shifted timestamp); one id with two fingerprints is a different event claiming another's
 * identity.
 */
export function contentFingerprint(document: AuditEventDocument): string {
  return hash('sha256', canonicalEncoding(document, LEFT_OUT), 'hex');
}

/**
 * The canonical encoding of what the fingerprint leaves out, as one object of the same nesting
 * (`{'@timestamp', event: {created, ingested, original}, cairn: {compliance, original, ...}}`),
 * without the fields `skip` names: equal to canonicalEncoding of that object, written straight
 * from the document. Together with the fingerprint it covers the whole document, so a digest of
 * every field reuses a fingerprint already computed instead of walking the document twice.
 */
export function remainderEncoding(document: AuditEventDocument, skip: LeftOutFields = {}): string {
  const record = document as unknown as Record<string, unknown>;
  let out = '{';
  for (const key of REMAINDER_KEYS) {
    const children = LEFT_OUT[key];
    if (!children) {
      if (!skip['']?.has(key) && record[key] !== undefined)
        out += `${key.length}:${key}${canonicalEncoding(record[key] as object)}`;
      continue;
    }
    const from = record[key] as Record<string, unknown> | undefined;
    if (!from) continue;
    out += `${key.length}:${key}{`;
    for (const child of REMAINDER_CHILDREN[key]) {
      const value = from[child];
      if (value !== undefined && !skip[key]?.has(child))
        out += `${child.length}:${child}${canonicalEncoding(value as object)}`;
    }
    out += '}';
  }
  return `${out}}`;
}

/** The remainder's keys, and each parent's children, in the order canonicalEncoding sorts them. */
const REMAINDER_KEYS = [...LEFT_OUT[''], ...Object.keys(LEFT_OUT).filter((key) => key !== '')].sort();
const REMAINDER_CHILDREN: Readonly<Record<string, string[]>> = Object.fromEntries(
  Object.entries(LEFT_OUT)
    .filter(([key]) => key !== '')
    .map(([key, children]) => [key, [...children].sort()]),
);

/**
 * Fingerprints by document object: one step computes a document's fingerprint for its own use
 * (the integrity chain) and the store's identity claim reuses it. Keyed by the very object, which
 * no later step changes (a changed event is a new object), so an entry is never stale.
 */
export class FingerprintCache {
  private readonly known = new WeakMap<AuditEventDocument, string>();

  of(document: AuditEventDocument): string {
    let fingerprint = this.known.get(document);
    if (fingerprint === undefined) this.known.set(document, (fingerprint = contentFingerprint(document)));
    return fingerprint;
  }

  remember(document: AuditEventDocument, fingerprint: string): void {
    this.known.set(document, fingerprint);
  }
}
