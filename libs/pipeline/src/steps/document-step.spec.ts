import type { AuditEventDocument } from '@cairn/event-schema';
import { contentFingerprint } from '@cairn/event-schema';
import { sourcePositionStep } from './document-step';

const message = { key: null, value: null, offset: '0' };

const document: AuditEventDocument = {
  '@timestamp': '2026-05-01T10:00:00.000Z',
  event: {
    id: 'a'.repeat(64),
    kind: 'event',
    action: 'pods.get',
    outcome: 'success',
    ingested: '2026-05-01T10:00:01.000Z',
  },
  cairn: { source_kind: 'ORCHESTRATOR', product: 'kubernetes', schema_version: '1' },
};

describe('sourcePositionStep', () => {
  const step = sourcePositionStep();

  it('records topic, partition, offset and the item within the message', () => {
    const at = { topic: 'cairn.raw.orchestrator', partition: 2, offset: '18234', index: 3 };
    expect(step.apply(document, at, message).cairn.position).toEqual({
      topic: 'cairn.raw.orchestrator',
      partition: 2,
      offset: 18234,
      item: 3,
    });
    expect(document.cairn.position).toBeUndefined();
  });

  it('does not change the fingerprint: the same event re-sent at another offset is a duplicate, not a conflict', () => {
    const first = step.apply(document, { topic: 't', partition: 0, offset: '1', index: 0 }, message);
    const again = step.apply(document, { topic: 't', partition: 1, offset: '900', index: 0 }, message);
    expect(contentFingerprint(first)).toBe(contentFingerprint(again));
  });
});
