import { ComplianceEngine, DEFAULT_SCOPE } from '@cairn/compliance';
import { contentFingerprint, type AuditEventDocument } from '@cairn/event-schema';
import { chainOf, GENESIS, nextLink, withLink, type ChainHead } from '@cairn/integrity';
import { normalizeRawEvent } from '@cairn/normalizers';
import type { WorkloadMessage } from '../../test/support/workload';

/**
 * The documents as ingest stores them with the benchmarks' settings (no CAIRN_CONFIG: the default
 * compliance scope): normalized, tagged, with their source position and their link in the chain
 * of their raw topic, in message order. What a raw `_bulk` of "the same documents" sends.
 */
export function storedDocuments(
  messages: readonly WorkloadMessage[],
  receivedAt: Date,
): AuditEventDocument[] {
  const engine = new ComplianceEngine(DEFAULT_SCOPE);
  const heads = new Map<string, ChainHead>();
  const offsets = new Map<string, number>();
  return messages.flatMap((message) => {
    const topic = `cairn.raw.${message.topic}`;
    const offset = offsets.get(topic) ?? 0;
    offsets.set(topic, offset + 1);
    const chain = chainOf(topic, 0);
    return normalizeRawEvent({ bytes: message.value, receivedAt }).map((normalized, item) => {
      const tagged = engine.tag(normalized);
      const positioned: AuditEventDocument = {
        ...tagged,
        cairn: { ...tagged.cairn, position: { topic, partition: 0, offset, item } },
      };
      const link = nextLink(chain, heads.get(chain) ?? GENESIS, positioned, contentFingerprint(positioned));
      heads.set(chain, link);
      return withLink(positioned, link);
    });
  });
}
