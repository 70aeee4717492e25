import { createHash } from 'node:crypto';
import type { AuditEventDocument } from './audit-event';
import { validateAuditEvent } from './audit-event.dto';
import { CairnEventError, EventErrorCode } from './cairn-event.error';
import { deterministicEventId, originalParts } from './event-identity';
import { undeclaredFields } from './field-names';

describe('deterministicEventId', () => {
  it('gives the same id for the same identity and different ids otherwise', () => {
    const id = deterministicEventId('kubernetes', ['audit-1', 'ResponseComplete']);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(deterministicEventId('kubernetes', ['audit-1', 'ResponseComplete'])).toBe(id);
    expect(deterministicEventId('kubernetes', ['audit-1', 'RequestReceived'])).not.toBe(id);
    expect(deterministicEventId('docker', ['audit-1', 'ResponseComplete'])).not.toBe(id);
  });

  it('does not let parts run into each other', () => {
    expect(deterministicEventId('docker', ['ab', 'c'])).not.toBe(deterministicEventId('docker', ['a', 'bc']));
  });
});

describe('originalParts', () => {
  it('keeps a small raw event whole, with its size', () => {
    expect(originalParts('{"a":1}')).toEqual({ original: '{"a":1}', size: 7, truncated: false });
  });

  it('cuts above the cap without splitting a character, keeping the hash of the whole', () => {
    const raw = `${'x'.repeat(9)}é${'y'.repeat(10)}`;
    const parts = originalParts(raw, 10);
    expect(parts.truncated).toBe(true);
    expect(parts.original).toBe('x'.repeat(9));
    expect(parts.size).toBe(Buffer.byteLength(raw));
    expect(parts.sha256).toBe(createHash('sha256').update(raw).digest('hex'));
  });
});

describe('validateAuditEvent', () => {
  const valid: AuditEventDocument = {
    '@timestamp': '2026-01-01T00:00:00.000Z',
    event: {
      id: 'a'.repeat(64),
      kind: 'event',
      action: 'pods.get',
      outcome: 'success',
      ingested: '2026-01-01T00:00:01.000Z',
    },
    cairn: { source_kind: 'ORCHESTRATOR', product: 'kubernetes', schema_version: '1' },
  };

  it('accepts a minimal valid document', () => {
    expect(() => validateAuditEvent(valid)).not.toThrow();
    expect(undeclaredFields(valid)).toEqual([]);
  });

  it('names every broken field', () => {
    const broken = {
      ...valid,
      '@timestamp': 'yesterday',
      event: { ...valid.event, id: 'short', outcome: 'maybe' },
      cairn: { ...valid.cairn, source_kind: 'CLOUD' },
    } as unknown as AuditEventDocument;
    let caught: CairnEventError | undefined;
    try {
      validateAuditEvent(broken);
    } catch (error) {
      caught = error as CairnEventError;
    }
    expect(caught?.code).toBe(EventErrorCode.InvalidNormalizedEvent);
    for (const field of ['@timestamp', 'event.id', 'event.outcome', 'cairn.source_kind']) {
      expect(caught?.message).toContain(`${field}:`);
    }
  });

  it('reports fields the catalog does not declare', () => {
    expect(undeclaredFields({ ...valid, event: { ...valid.event, colour: 'red' } })).toEqual([
      'event.colour',
    ]);
  });
});
