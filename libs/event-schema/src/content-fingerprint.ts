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
