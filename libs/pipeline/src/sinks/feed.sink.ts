import type { AuditEventDocument } from '@cairn/event-schema';

/**
 * Where stored events go next, for SIEMs: called with every document the store holds (new or
 * already there, so a replay re-delivers what a crash may have lost) and resolves once durable,
 * before the raw offset is committed.
 */
export interface FeedSink {
  publish(documents: readonly AuditEventDocument[]): Promise<void>;
}
