import type { AuditEventDocument } from '@cairn/event-schema';
import type { Control } from './catalog.types';
import { ComplianceEngine } from './engine';
import type { Matcher } from './rule';
import { parseScope } from './scope';

/**
 * The rule language itself, one matcher kind at a time, each with a document it selects and one
 * that differs only where the matcher looks; the catalog's rules are tested in engine.spec.ts.
 */
const scope = parseScope({
  scopes: { PCI_DSS: { namespaces: ['payments'] }, HIPAA: { images: ['ehr/records'] } },
  adminUsers: ['root-admin', 'ops-*'],
  adminGroups: ['platform-admins'],
  systemAccounts: ['system:*', 'robot'],
  auditComponents: { namespaces: ['logging'], images: ['falco'] },
});
const engine = new ComplianceEngine(scope);

type Partial = Record<string, unknown>;
const doc = (fields: Partial = {}): AuditEventDocument => ({
  '@timestamp': '2026-11-01T00:00:00.000Z',
  event: {
    id: 'x',
    kind: 'event',
    action: 'pods.get',
    outcome: 'success',
    ingested: '2026-11-01T00:00:01.000Z',
  },
  cairn: { source_kind: 'ORCHESTRATOR', product: 'kubernetes', schema_version: '1' },
  ...fields,
});
const matches = (matcher: Matcher, fields: Partial) => engine.matches(matcher, doc(fields));

describe('field matchers', () => {
  it('equals: the value, or any element of a list at any step of the path', () => {
    const m: Matcher = { field: 'user.group.name', equals: 'ops' };
    expect(matches(m, { user: { group: { name: ['dev', 'ops'] } } })).toBe(true);
    expect(matches(m, { user: { group: { name: ['dev'] } } })).toBe(false);
    expect(matches(m, { user: { group: { name: 'ops' } } })).toBe(true);
    const nested: Matcher = { field: 'kubernetes.request.containers.name', equals: 'sh' };
    expect(
      matches(nested, { kubernetes: { request: { containers: [{ name: 'app' }, { name: 'sh' }] } } }),
    ).toBe(true);
    expect(matches(nested, { kubernetes: { request: { containers: [{ name: 'app' }] } } })).toBe(false);
    expect(matches(nested, { kubernetes: { request: { containers: [null, 5] } } })).toBe(false);
    expect(matches(nested, { kubernetes: null })).toBe(false);
  });

  it('equals compares scalars only, by type', () => {
    expect(
      matches({ field: 'kubernetes.response_code', equals: 403 }, { kubernetes: { response_code: 403 } }),
    ).toBe(true);
    expect(
      matches({ field: 'kubernetes.response_code', equals: 403 }, { kubernetes: { response_code: '403' } }),
    ).toBe(false);
    expect(
      matches({ field: 'kubernetes.verb', equals: 'get' }, { kubernetes: { verb: { value: 'get' } } }),
    ).toBe(false);
    expect(
      matches(
        { field: 'kubernetes.request.privileged', equals: true },
        { kubernetes: { request: { privileged: true } } },
      ),
    ).toBe(true);
    expect(
      matches(
        { field: 'kubernetes.request.privileged', equals: true },
        { kubernetes: { request: { privileged: false } } },
      ),
    ).toBe(false);
  });

  it('in: any of the values', () => {
    const m: Matcher = { field: 'kubernetes.verb', in: ['create', 'delete'] };
    expect(matches(m, { kubernetes: { verb: 'delete' } })).toBe(true);
    expect(matches(m, { kubernetes: { verb: 'get' } })).toBe(false);
  });

  it('prefix: strings that start with it, nothing else', () => {
    const m: Matcher = { field: 'rule.name', prefix: 'Falco internal' };
    expect(matches(m, { rule: { name: 'Falco internal: syscall event drop' } })).toBe(true);
    expect(matches(m, { rule: { name: 'A Falco internal rule' } })).toBe(false);
    expect(
      matches({ field: 'event.severity', prefix: '1' }, { event: { ...doc().event, severity: 1 } }),
    ).toBe(false);
  });

  it('atLeast and atMost include their bound and read numbers only', () => {
    const least: Matcher = { field: 'registry.scan.critical', atLeast: 1 };
    expect(matches(least, { registry: { scan: { critical: 1 } } })).toBe(true);
    expect(matches(least, { registry: { scan: { critical: 0 } } })).toBe(false);
    expect(matches(least, { registry: { scan: { critical: '3' } } })).toBe(false);
    const most: Matcher = { field: 'event.severity', atMost: 3 };
    const severity = (value: unknown) => ({ event: { ...doc().event, severity: value } });
    expect(matches(most, severity(3))).toBe(true);
    expect(matches(most, severity(4))).toBe(false);
    expect(matches(most, severity('2'))).toBe(false);
  });

  it('exists: a value, not null, not a list of nothing', () => {
    const m: Matcher = { field: 'source.ip', exists: true };
    expect(matches(m, { source: { ip: ['10.0.0.1'] } })).toBe(true);
    expect(matches(m, { source: { ip: [] } })).toBe(false);
    expect(matches(m, { source: { ip: null } })).toBe(false);
    expect(matches(m, { source: { ip: [null] } })).toBe(false);
    expect(matches(m, {})).toBe(false);
    expect(matches({ field: 'source.ip', exists: false }, {})).toBe(true);
    expect(matches({ field: 'source.ip', exists: false }, { source: { ip: ['10.0.0.1'] } })).toBe(false);
  });
});

describe('combinators', () => {
  const verb = (v: string) => ({ kubernetes: { verb: v, subresource: 'exec' } });
  const isGet: Matcher = { field: 'kubernetes.verb', equals: 'get' };
  const isExec: Matcher = { field: 'kubernetes.subresource', equals: 'exec' };

  it('all needs every one, any needs one, not inverts', () => {
    expect(engine.matches({ all: [isGet, isExec] }, doc(verb('get')))).toBe(true);
    expect(engine.matches({ all: [isGet, isExec] }, doc(verb('create')))).toBe(false);
    expect(
      engine.matches({ any: [isGet, { field: 'kubernetes.verb', equals: 'list' }] }, doc(verb('list'))),
    ).toBe(true);
    expect(engine.matches({ any: [isGet] }, doc(verb('create')))).toBe(false);
    expect(engine.matches({ not: isGet }, doc(verb('create')))).toBe(true);
    expect(engine.matches({ not: isGet }, doc(verb('get')))).toBe(false);
  });
});

describe('scope predicates', () => {
  it('admin: a configured user (with trailing wildcards) or a member of a configured group', () => {
    const admin: Matcher = { actor: 'admin' };
    expect(matches(admin, { user: { name: 'root-admin' } })).toBe(true);
    expect(matches(admin, { user: { name: 'ops-anna' } })).toBe(true);
    expect(matches(admin, { user: { name: 'xops-anna' } })).toBe(false);
    expect(matches(admin, { user: { name: 'root-admin2' } })).toBe(false);
    expect(matches(admin, { user: { name: 'bob', group: { name: ['dev', 'platform-admins'] } } })).toBe(true);
    expect(matches(admin, { user: { name: 'bob', group: { name: ['dev'] } } })).toBe(false);
    expect(matches(admin, { user: { group: { name: ['platform-admins'] } } })).toBe(true);
    expect(matches(admin, {})).toBe(false);
  });

  it('human and machine: a named actor, by whether it is a system account', () => {
    for (const [name, human] of [
      ['alice', true],
      ['system:serviceaccount:ci:deployer', false],
      ['robot', false],
      ['robots', true],
    ] as const) {
      expect(matches({ actor: 'human' }, { user: { name } })).toBe(human);
      expect(matches({ actor: 'machine' }, { user: { name } })).toBe(!human);
    }
    expect(matches({ actor: 'human' }, {})).toBe(false);
    expect(matches({ actor: 'machine' }, {})).toBe(false);
  });

  it('auditComponent: by namespace, or by image name, path or last segment', () => {
    const audit: Matcher = { auditComponent: true };
    expect(matches(audit, { kubernetes: { namespace: 'logging' } })).toBe(true);
    expect(matches(audit, { orchestrator: { namespace: 'logging' } })).toBe(true);
    expect(matches(audit, { kubernetes: { namespace: 'payments' } })).toBe(false);
    expect(matches(audit, { container: { image: { name: 'docker.io/falcosecurity/falco' } } })).toBe(true);
    expect(matches(audit, { container: { image: { name: 'docker.io/falcosecurity/falco-exporter' } } })).toBe(
      false,
    );
    expect(matches(audit, { kubernetes: { request: { images: ['busybox', 'registry.local/falco'] } } })).toBe(
      true,
    );
    expect(matches(audit, { kubernetes: { request: { images: ['busybox'] } } })).toBe(false);
  });
});

describe('controlsFor', () => {
  const control = (id: string, applies: Control['applies'], when: Matcher): Control => ({
    framework: id.startsWith('164') ? 'HIPAA' : 'PCI_DSS',
    id,
    title: id,
    summary: '',
    citation: '',
    applies,
    rules: [{ id: 'r', description: '', when }],
  });
  const deletes: Matcher = { field: 'kubernetes.verb', equals: 'delete' };
  const custom = new ComplianceEngine(scope, [
    control('9.9', 'cluster', deletes),
    control('1.1', 'cluster', deletes),
    control('2.2', 'scoped', deletes),
    control('164.1', 'scoped', deletes),
  ]);

  it('lists the controls sorted; a scoped one only inside its framework’s scope', () => {
    const inPayments = doc({ kubernetes: { verb: 'delete', namespace: 'payments' } });
    expect(custom.controlsFor(inPayments)).toEqual(['PCI_DSS:1.1', 'PCI_DSS:2.2', 'PCI_DSS:9.9']);
    const elsewhere = doc({ kubernetes: { verb: 'delete', namespace: 'default' } });
    expect(custom.controlsFor(elsewhere)).toEqual(['PCI_DSS:1.1', 'PCI_DSS:9.9']);
    const ehrImage = doc({
      kubernetes: { verb: 'delete' },
      container: { image: { name: 'registry.local/ehr/records' } },
    });
    expect(custom.controlsFor(ehrImage)).toEqual(['HIPAA:164.1', 'PCI_DSS:1.1', 'PCI_DSS:9.9']);
    expect(custom.controlsFor(doc({ kubernetes: { verb: 'get', namespace: 'payments' } }))).toEqual([]);
  });

  it('knows which frameworks have a scope configured', () => {
    expect(custom.isConfigured('PCI_DSS')).toBe(true);
    expect(custom.isConfigured('HIPAA')).toBe(true);
    expect(custom.isConfigured('GDPR')).toBe(false);
    expect(
      new ComplianceEngine(parseScope({ scopes: { GDPR: { namespaces: [] } } })).isConfigured('GDPR'),
    ).toBe(false);
  });

  it('versions tags by catalog and scope: another scope, another version', () => {
    const other = new ComplianceEngine(parseScope({ scopes: { PCI_DSS: { namespaces: ['cde'] } } }));
    expect(other.version).not.toBe(engine.version);
    expect(new ComplianceEngine(scope).version).toBe(engine.version);
    expect(engine.version).toMatch(/^\d{4}\.\d{2}\.\d+\+[0-9a-f]{12}$/);
  });
});
