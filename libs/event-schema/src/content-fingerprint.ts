import { hash } from 'node:crypto';
import type { AuditEventDocument } from './audit-event';

/**
 * Left out of the fingerprint: the event's dates (a re-sent event may carry new ones), the raw
 * bytes and their size (whitespace and key order differ between senders), the compliance tags
 * (re-tagged later, and scoped per deployment) and the position in the raw topic (a sender that
 * retries writes the same event at another offset).
 */
const LEFT_OUT: Readonly<Record<string, ReadonlySet<string>>> = {
  '': new Set(['@timestamp']),
  event: new Set(['original', 'ingested', 'created']),
  cairn: new Set(['original', 'compliance', 'position']),
};

/**
 * An injective encoding that needs no escaping: strings and keys are length-prefixed, every other
 * value is self-delimiting, object keys are sorted so the order a sender wrote them in does not
 * count. About twice as fast as canonical JSON, and it runs for every document ingest stores.
 */
function encode(value: unknown, out: string[], leftOut?: ReadonlySet<string>, at = ''): void {
  switch (typeof value) {
    case 'string':
      out.push(`s${value.length}:`, value);
      return;
    case 'number':
      out.push(`n${value};`);
      return;
    case 'boolean':
      out.push(value ? 't' : 'f');
      return;
    case 'object': {
      if (value === null) {
        out.push('z');
        return;
      }
      if (Array.isArray(value)) {
        out.push(`[${value.length}:`);
        for (const element of value) encode(element, out, undefined, '[');
        return;
      }
      out.push('{');
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record).sort()) {
        const member = record[key];
        if (member === undefined || leftOut?.has(key)) continue;
        out.push(`${key.length}:`, key);
        encode(member, out, at === '' ? LEFT_OUT[key] : undefined, key);
      }
      out.push('}');
      return;
    }
    default:
      out.push('u');
  }
}

/**
 * What an event says, apart from when it says it happened and how its bytes were spelled: two
 * documents with one id and one fingerprint are the same event (a replay, perhaps re-sent with a
 * shifted timestamp); one id with two fingerprints is a different event claiming another's
 * identity.
 */
export function contentFingerprint(document: AuditEventDocument): string {
  const out: string[] = [];
  encode(document, out, LEFT_OUT['']);
  return hash('sha256', out.join(''), 'hex');
}
