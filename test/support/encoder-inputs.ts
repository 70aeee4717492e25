import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { accessReceivedRecord, accessRecord } from '@cairn/access-audit';
import { ComplianceEngine, parseScope } from '@cairn/compliance';
import { CairnEventError, type AuditEventDocument } from '@cairn/event-schema';
import { normalizeRawEvent } from '@cairn/normalizers';

/**
 * The encoders' golden inputs: every normalizer fixture that normalizes (the same bytes and clock
 * as the normalizers' own golden files), tagged with a scope that puts `payments` in every
 * framework, plus Cairn's own records (an access, a refused access, a retention run).
 */
const RECEIVED_AT = new Date('2026-11-02T03:04:05.678Z');
// The source tree, from here or from a compiled copy (benchmarks run from dist/bench).
function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}
const REPO = repoRoot();
const NORMALIZERS = join(REPO, 'libs', 'normalizers', 'src');

const engine = new ComplianceEngine(
  parseScope({
    scopes: {
      PCI_DSS: { namespaces: ['payments'] },
      HIPAA: { namespaces: ['payments'] },
      GDPR: { namespaces: ['payments'] },
    },
    adminGroups: ['system:masters', 'platform-admins'],
    adminUsers: [],
    systemAccounts: ['system:*'],
    auditComponents: { namespaces: ['logging'], images: ['falco'] },
  }),
);

export interface GoldenInput {
  readonly variant: string;
  readonly documents: readonly AuditEventDocument[];
}

function normalized(bytes: Buffer): AuditEventDocument[] {
  try {
    return normalizeRawEvent({ bytes, receivedAt: RECEIVED_AT });
  } catch (error) {
    if (error instanceof CairnEventError) return [];
    throw error;
  }
}

export function goldenInputs(): Map<string, GoldenInput[]> {
  const sources = new Map<string, GoldenInput[]>();
  for (const entry of readdirSync(NORMALIZERS, { withFileTypes: true })) {
    const dir = join(NORMALIZERS, entry.name, 'fixtures');
    if (!entry.isDirectory() || entry.name === 'bad-input' || !existsSync(dir)) continue;
    const inputs = readdirSync(dir)
      .filter((name) => name.endsWith('.json') && !name.endsWith('.expected.json'))
      .sort()
      .map((name) => ({
        variant: name.replace(/\.json$/, ''),
        documents: normalized(readFileSync(join(dir, name))).map((document) => engine.tag(document)),
      }))
      .filter((input) => input.documents.length > 0);
    sources.set(entry.name, inputs);
  }
  sources.set('cairn', cairnRecords());
  return sources;
}

function cairnRecords(): GoldenInput[] {
  const at = new Date('2026-10-01T09:30:00.250Z');
  const asked = {
    requestId: 'req-7f3a',
    at,
    principal: { name: 'incident-responder', role: 'investigator' as const },
    clientAddress: '2001:db8::7',
    userAgent: 'curl/8.5.0',
    route: 'graphql',
    query: 'query { events(filter: {namespace: "payments"}) { totalCount } }',
  };
  const received = accessReceivedRecord(asked);
  const query = accessRecord({ ...asked, operation: 'events', resultCount: 42 });
  const refused = accessRecord({
    requestId: 'req-7f3b',
    at,
    clientAddress: '203.0.113.9',
    route: 'graphql',
    resultCount: 0,
    errorCode: 'UNAUTHENTICATED',
  });
  const retention = JSON.parse(
    readFileSync(join(REPO, 'test', 'support', 'fixtures', 'cairn-retention.json'), 'utf8'),
  ) as AuditEventDocument;
  return [
    { variant: 'access-received', documents: [engine.tag(received)] },
    { variant: 'access-query', documents: [engine.tag(query)] },
    { variant: 'access-refused', documents: [engine.tag(refused)] },
    { variant: 'retention-run', documents: [engine.tag(retention)] },
  ];
}
