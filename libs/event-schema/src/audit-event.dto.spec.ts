import fc from 'fast-check';
import type { AuditEventDocument } from './audit-event';
import { coreProblems, passesCoreChecks } from './audit-event.dto';

/** The precompiled checks must accept exactly what class-validator's validateSync accepts. */
const valid: AuditEventDocument = {
  '@timestamp': '2026-01-01T00:00:00.000Z',
  event: {
    id: 'a'.repeat(64),
    kind: 'event',
    action: 'pods.get',
    outcome: 'success',
    ingested: '2026-01-01T00:00:01.000Z',
    category: ['api'],
  },
  cairn: { source_kind: 'ORCHESTRATOR', product: 'kubernetes', schema_version: '1' },
};

const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant(undefined),
  fc.constantFrom('event', 'alert', 'success', 'failure', 'RUNTIME', 'docker', '', 'x'.repeat(300)),
  fc.constantFrom('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00Z', 'b'.repeat(64), ['a'], [1]),
);

const FIELDS: ['event' | 'cairn' | null, string][] = [
  [null, '@timestamp'],
  ['event', 'id'],
  ['event', 'kind'],
  ['event', 'action'],
  ['event', 'outcome'],
  ['event', 'ingested'],
  ['event', 'category'],
  ['event', 'type'],
  ['cairn', 'source_kind'],
  ['cairn', 'product'],
  ['cairn', 'schema_version'],
];

describe('precompiled core checks', () => {
  it('accept the valid document', () => {
    expect(passesCoreChecks(valid)).toBe(true);
    expect(coreProblems(valid)).toEqual([]);
  });

  it('agree with validateSync on mutated documents', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...FIELDS), anyValue), { maxLength: 3 }), (changes) => {
        const document = structuredClone(valid) as unknown as Record<string, any>;
        for (const [[part, field], value] of changes) {
          const target = part ? document[part] : document;
          if (value === undefined) delete target[field];
          else target[field] = value;
        }
        const typed = document as AuditEventDocument;
        expect(passesCoreChecks(typed)).toBe(coreProblems(typed).length === 0);
      }),
      { numRuns: 5000 },
    );
  });
});
