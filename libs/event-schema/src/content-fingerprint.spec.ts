import type { AuditEventDocument } from './audit-event';
import { contentFingerprint } from './content-fingerprint';

const document = (overrides: Record<string, unknown> = {}): AuditEventDocument =>
  ({
    '@timestamp': '2026-03-14T21:07:12.160Z',
    message: 'alice create pods/exec',
    event: {
      id: 'x',
      kind: 'event',
      action: 'pods/exec.create',
      original: '{"a":1}',
      ingested: '2026-03-14T21:07:13.000Z',
    },
    user: { name: 'alice', groups: ['a', 'b'] },
    cairn: {
      source_kind: 'ORCHESTRATOR',
      product: 'kubernetes',
      schema_version: '1',
      compliance: { controls: [], version: 'v' },
    },
    ...overrides,
  }) as unknown as AuditEventDocument;

describe('contentFingerprint', () => {
  it('ignores dates, raw bytes, compliance tags and key order', () => {
    const base = contentFingerprint(document());
    const moved = document({
      '@timestamp': '2027-01-01T00:00:00.000Z',
      event: {
        ingested: 'later',
        original: '{ "a": 1 }',
        action: 'pods/exec.create',
        kind: 'event',
        id: 'x',
        created: 'now',
      },
      cairn: {
        schema_version: '1',
        product: 'kubernetes',
        source_kind: 'ORCHESTRATOR',
        original: { size: 9 },
      },
    });
    expect(contentFingerprint(moved)).toBe(base);
  });

  it('changes with any other content, including where a value sits', () => {
    const base = contentFingerprint(document());
    for (const other of [
      document({ user: { name: 'mallory', groups: ['a', 'b'] } }),
      document({ user: { name: 'alice', groups: ['b', 'a'] } }),
      document({ user: { name: 'alice', groups: ['ab'] } }),
      document({ user: { name: 'alice', groups: ['a', 'b'], id: 'u1' } }),
      document({ message: 'alice create pods/exec ' }),
    ]) {
      expect(contentFingerprint(other)).not.toBe(base);
    }
  });

  it('does not confuse values that would print alike', () => {
    expect(contentFingerprint(document({ message: '1' }))).not.toBe(
      contentFingerprint(document({ message: 1 })),
    );
    expect(contentFingerprint(document({ tags: ['a,b'] }))).not.toBe(
      contentFingerprint(document({ tags: ['a', 'b'] })),
    );
  });
});
