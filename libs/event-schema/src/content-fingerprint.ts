import type { AuditEventDocument } from './audit-event';
import { canonicalHash } from './canonical-hash';

/**
 * What an event says, apart from when it says it happened and how its bytes were spelled: two
 * documents with one id and one fingerprint are the same event (a replay, perhaps re-sent with a
 * shifted timestamp); one id with two fingerprints is a different event claiming another's
 * identity. Left out: the event's dates (a re-sent event may carry new ones), the raw bytes and
 * their size (whitespace and key order differ between senders) and the compliance tags (re-tagged
 * later, and scoped per deployment).
 */
export function contentFingerprint(document: AuditEventDocument): string {
  const { cairn, event, ...rest } = document as AuditEventDocument & Record<string, unknown>;
  const { original: _original, compliance: _compliance, ...cairnRest } = cairn;
  const {
    original: _raw,
    ingested: _ingested,
    created: _created,
    ...eventRest
  } = event as Record<string, unknown>;
  const { '@timestamp': _timestamp, ...body } = rest;
  return canonicalHash({ ...body, event: eventRest, cairn: cairnRest });
}
