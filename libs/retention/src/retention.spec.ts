import { expiredMonths } from './retention-plan';
import { parseLegalHolds } from './legal-holds';

describe('expiredMonths', () => {
  const indices = ['ev-2025.10', 'ev-2025.11', 'ev-2025.12', 'ev-2026.01', 'ev.identities', 'ev-2026.12'];

  it('names the months that ended at or before now minus the retention', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    // now - 300 days = 2026-02-04: October, November, December and January have ended by then.
    expect(expiredMonths(indices, now, 300)).toEqual([
      'ev-2025.10',
      'ev-2025.11',
      'ev-2025.12',
      'ev-2026.01',
    ]);
    expect(expiredMonths(indices, now, 365)).toEqual(['ev-2025.10', 'ev-2025.11']);
  });

  it('keeps a month while any of its days is inside the retention', () => {
    // December 2025 ends at 2026-01-01T00:00Z: expired from that instant plus the retention.
    expect(expiredMonths(['ev-2025.12'], new Date('2026-01-31T23:59:59Z'), 31)).toEqual([]);
    expect(expiredMonths(['ev-2025.12'], new Date('2026-02-01T00:00:00Z'), 31)).toEqual(['ev-2025.12']);
  });
});

describe('parseLegalHolds', () => {
  it('reads holds by namespace, actor and event id, each with its reason', () => {
    const problems: string[] = [];
    const holds = parseLegalHolds(
      `legalHolds:\n  - { namespace: payments, reason: "case 2026-14" }\n  - { actor: mallory, reason: litigation }\n  - { eventId: ${'a'.repeat(64)}, reason: "incident 7" }\n`,
      problems,
    );
    expect(problems).toEqual([]);
    expect(holds).toEqual([
      { namespace: 'payments', reason: 'case 2026-14' },
      { actor: 'mallory', reason: 'litigation' },
      { eventId: 'a'.repeat(64), reason: 'incident 7' },
    ]);
    expect(parseLegalHolds('compliance: {}\n', problems)).toEqual([]);
  });

  it('names every problem by its path', () => {
    const problems: string[] = [];
    parseLegalHolds(
      'legalHolds:\n  - { namespace: a, actor: b, reason: x }\n  - { namespace: a }\n  - { eventId: nope, reason: x }\n  - { colour: red, namespace: a, reason: x }\n  - 7\n',
      problems,
    );
    expect(problems).toEqual([
      'legalHolds[0]: name exactly one of namespace, actor or eventId',
      'legalHolds[1].reason: a hold needs a reason',
      'legalHolds[2].eventId: must be an event id (64 lower-case hex characters)',
      'legalHolds[3]: unknown key colour (namespace, actor, eventId, reason)',
      'legalHolds[4]: must be a mapping',
    ]);
    const notList: string[] = [];
    parseLegalHolds('legalHolds: payments\n', notList);
    expect(notList).toEqual(['legalHolds: must be a list of { namespace | actor | eventId, reason }']);
  });
});
