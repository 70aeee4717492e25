import type { AuditEventDocument } from '@cairn/event-schema';

/** Elastic Common Schema JSON: the stored document as it is (Cairn's model is ECS-shaped). */
export function encodeEcs(document: AuditEventDocument): string {
  return JSON.stringify(document);
}
