import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CairnEventError, EventErrorCode, undeclaredFields } from '@cairn/event-schema';
import { normalizeRawEvent } from './normalize-raw-event';

/** Conformance against real events other projects wrote (../shared/fixtures); skipped when absent. */
const dir = join(__dirname, '../../../../shared/fixtures/kubernetes-audit-falco');
const present = existsSync(dir);
if (!present) console.warn(`shared fixtures not found at ${dir}: conformance tests skipped`);

const MALFORMED = new Set(['fal_01_003.json']);

(present ? describe : describe.skip)('Kubernetes audit events from falcosecurity/falco', () => {
  const files = present ? readdirSync(dir).filter((name) => name.endsWith('.json')) : [];
  const lines = files.flatMap((file) =>
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line, index) => ({ file, index, line })),
  );

  // Falco's variants of one request (another user, another container) keep its auditID, so the id,
  // which is defined by auditID and stage, is compared per distinct (auditID, stage) pair.
  it('normalizes every well-formed event to declared fields and one id per auditID and stage', () => {
    const ids = new Set<string>();
    const identities = new Set<string>();
    let count = 0;
    for (const { file, line } of lines.filter(({ file }) => !MALFORMED.has(file))) {
      const documents = normalizeRawEvent({ bytes: Buffer.from(line), receivedAt: new Date() });
      for (const document of documents) {
        expect({ file, undeclared: undeclaredFields(document) }).toEqual({ file, undeclared: [] });
        expect(document.cairn.product).toBe('kubernetes');
        expect(document.event.action).toMatch(/^[a-z0-9-]+(\/[a-z0-9-]+)?\.[a-z]+$/);
        ids.add(document.event.id);
        identities.add(`${document.kubernetes?.audit_id} ${document.kubernetes?.stage}`);
        count += 1;
      }
    }
    expect(count).toBeGreaterThanOrEqual(50);
    expect(ids.size).toBe(identities.size);
  });

  it('keeps what each source event carries: actor, addresses, target, response and stage', () => {
    for (const { file, line } of lines.filter(({ file }) => !MALFORMED.has(file))) {
      const raw = JSON.parse(line) as Record<string, any>;
      const [document] = normalizeRawEvent({ bytes: Buffer.from(line), receivedAt: new Date() });
      const context = { file };
      expect({ ...context, user: document.user?.name }).toEqual({ ...context, user: raw.user?.username });
      expect({ ...context, ips: document.source?.ip }).toEqual({ ...context, ips: raw.sourceIPs });
      expect({ ...context, ns: document.orchestrator?.namespace }).toEqual({
        ...context,
        ns: raw.objectRef?.namespace,
      });
      expect({ ...context, resource: document.orchestrator?.resource?.type }).toEqual({
        ...context,
        resource: raw.objectRef?.resource,
      });
      expect({ ...context, code: document.kubernetes?.response_code }).toEqual({
        ...context,
        code: raw.responseStatus?.code,
      });
      expect({ ...context, stage: document.kubernetes?.stage, verb: document.kubernetes?.verb }).toEqual({
        ...context,
        stage: raw.stage,
        verb: raw.verb,
      });
      expect(document.event.original).toBe(line);
    }
  });

  it('rejects the malformed event with a clear error instead of crashing', () => {
    for (const { line } of lines.filter(({ file }) => MALFORMED.has(file))) {
      let caught: unknown;
      try {
        normalizeRawEvent({ bytes: Buffer.from(line), receivedAt: new Date() });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(CairnEventError);
      expect((caught as CairnEventError).code).toBe(EventErrorCode.UnrecognizedSource);
    }
  });
});
