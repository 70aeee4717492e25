import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRODUCTS, type AuditEventDocument } from '@cairn/event-schema';
import { CONTROLS } from './catalog';
import { ComplianceEngine, controlRef } from './engine';
import { parseScope } from './scope';

const scope = parseScope({
  scopes: {
    PCI_DSS: { namespaces: ['payments'] },
    HIPAA: { namespaces: ['ehr'] },
    GDPR: { namespaces: ['crm'] },
  },
  adminGroups: ['system:masters', 'platform-admins'],
  adminUsers: ['root-admin'],
  systemAccounts: ['system:*'],
  auditComponents: { namespaces: ['logging'], images: ['falco', 'fluent-bit'] },
});
const engine = new ComplianceEngine(scope);

interface K8s {
  verb?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  user?: string;
  groups?: string[];
  code?: number;
  decision?: string;
  request?: NonNullable<AuditEventDocument['kubernetes']>['request'];
  outcome?: 'success' | 'failure';
}

function k8s(o: K8s = {}): AuditEventDocument {
  const verb = o.verb ?? 'get';
  const resource = o.resource ?? 'pods';
  return {
    '@timestamp': '2026-11-01T00:00:00.000Z',
    event: {
      id: 'x',
      kind: 'event',
      action: `${resource}${o.subresource ? `/${o.subresource}` : ''}.${verb}`,
      outcome: o.outcome ?? 'success',
      ingested: '2026-11-01T00:00:01.000Z',
    },
    user: { name: o.user ?? 'alice@example.com', group: { name: o.groups ?? ['developers'] } },
    source: { ip: ['10.0.0.1'] },
    orchestrator: {
      type: 'kubernetes',
      namespace: o.namespace,
      resource: { type: resource, name: 'thing' },
    },
    kubernetes: {
      verb,
      subresource: o.subresource,
      response_code: o.code ?? 200,
      authorization: o.decision ? { decision: o.decision } : undefined,
      request: o.request,
    },
    cairn: { source_kind: 'ORCHESTRATOR', product: 'kubernetes', schema_version: '1' },
  };
}

/** An OPA decision; with `verb`, on a Kubernetes admission request. */
function policyDecision(
  type: 'allowed' | 'denied',
  verb?: string,
  namespace = 'payments',
): AuditEventDocument {
  return {
    '@timestamp': '2026-11-01T00:00:00.000Z',
    event: {
      id: 'p',
      kind: 'event',
      type: [type],
      action: 'policy.decision',
      outcome: type === 'allowed' ? 'success' : 'failure',
      ingested: '2026-11-01T00:00:01.000Z',
    },
    rule: { name: 'system/main' },
    ...(verb && {
      user: { name: 'alice@example.com' },
      orchestrator: { type: 'kubernetes', namespace, resource: { type: 'pods', name: 'debug' } },
      kubernetes: { verb, namespace, authorization: { decision: type === 'allowed' ? 'allow' : 'forbid' } },
    }),
    cairn: { source_kind: 'POLICY', product: 'opa', schema_version: '1' },
  };
}

function runtime(action: string, image: string, namespace = 'default'): AuditEventDocument {
  return {
    '@timestamp': '2026-11-01T00:00:00.000Z',
    event: { id: 'r', kind: 'event', action, outcome: 'success', ingested: '2026-11-01T00:00:01.000Z' },
    container: { id: 'a'.repeat(64), image: { name: image } },
    kubernetes: { namespace },
    cairn: { source_kind: 'RUNTIME', product: 'docker', schema_version: '1' },
  };
}

function falco(rule: string, severity: number, namespace = 'default'): AuditEventDocument {
  return {
    '@timestamp': '2026-11-01T00:00:00.000Z',
    event: {
      id: 'f',
      kind: 'alert',
      action: 'alert',
      outcome: 'unknown',
      severity,
      ingested: '2026-11-01T00:00:01.000Z',
    },
    rule: { name: rule },
    kubernetes: { namespace },
    cairn: { source_kind: 'RUNTIME', product: 'falco', schema_version: '1' },
  };
}

function access(
  action: 'cairn.query' | 'cairn.query_received' | 'cairn.auth_failure',
  errorCode?: string,
): AuditEventDocument {
  return {
    '@timestamp': '2026-11-01T00:00:00.000Z',
    event: {
      id: 'c',
      kind: 'event',
      action,
      outcome:
        action === 'cairn.query_received'
          ? 'unknown'
          : errorCode || action === 'cairn.auth_failure'
            ? 'failure'
            : 'success',
      ingested: '2026-11-01T00:00:01.000Z',
    },
    user: { name: 'auditor-1' },
    cairn: { source_kind: 'CAIRN', product: 'cairn', schema_version: '1', api: { error_code: errorCode } },
  };
}

function scan(critical: number): AuditEventDocument {
  return {
    '@timestamp': '2026-11-01T00:00:00.000Z',
    event: {
      id: 's',
      kind: 'event',
      action: 'artifact.scan',
      outcome: 'success',
      ingested: '2026-11-01T00:00:01.000Z',
    },
    registry: { repository: 'payments/checkout', scan: { critical, high: 3 } },
    cairn: { source_kind: 'REGISTRY', product: 'harbor', schema_version: '1' },
  };
}

function verification(outcome: 'success' | 'failure'): AuditEventDocument {
  return {
    '@timestamp': '2026-11-01T00:00:00.000Z',
    event: {
      id: 'v',
      kind: 'event',
      action: 'cairn.integrity.verify',
      outcome,
      ingested: '2026-11-01T00:00:00.000Z',
    },
    cairn: { source_kind: 'CAIRN', product: 'cairn', schema_version: '1' },
  };
}

const person = { user: 'alice@example.com' };
const robot = { user: 'system:serviceaccount:ci:deployer', groups: ['system:serviceaccounts'] };
const privileged = { verb: 'create', resource: 'pods', request: { privileged: true } };
const bindAdmin = {
  verb: 'create',
  resource: 'clusterrolebindings',
  request: { role_ref: 'ClusterRole/cluster-admin' },
};

/** For every rule of the catalog: an event it must match and a near miss it must not. */
const CASES: Record<string, { positive: AuditEventDocument; negative: AuditEventDocument }> = {
  'PCI_DSS:10.2.1.1#human-reads-or-enters-cde': {
    positive: k8s({ ...person, verb: 'get', resource: 'secrets', namespace: 'payments' }),
    negative: k8s({ ...robot, verb: 'get', resource: 'secrets', namespace: 'payments' }),
  },
  'PCI_DSS:10.2.1.2#admin-actor': {
    positive: k8s({ user: 'bob', groups: ['platform-admins'] }),
    negative: k8s({ user: 'bob', groups: ['developers'] }),
  },
  'PCI_DSS:10.2.1.3#audit-trail-query': {
    positive: access('cairn.query'),
    negative: access('cairn.query_received'),
  },
  'PCI_DSS:10.2.1.3#audit-component-access': {
    positive: k8s({ verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'logging' }),
    negative: k8s({ verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'payments' }),
  },
  'PCI_DSS:10.2.1.4#access-denied': {
    positive: k8s({ verb: 'get', resource: 'secrets', code: 403, decision: 'forbid', outcome: 'failure' }),
    negative: k8s({ verb: 'get', resource: 'secrets', code: 404, outcome: 'failure' }),
  },
  'PCI_DSS:10.2.1.5#credential-change': {
    positive: k8s({ verb: 'create', resource: 'serviceaccounts', subresource: 'token' }),
    negative: k8s({ verb: 'get', resource: 'serviceaccounts' }),
  },
  'PCI_DSS:10.2.1.5#admin-elevation': {
    positive: k8s(bindAdmin),
    negative: k8s({ ...bindAdmin, request: { role_ref: 'ClusterRole/view' } }),
  },
  'PCI_DSS:10.2.1.6#audit-component-lifecycle': {
    positive: k8s({ verb: 'delete', resource: 'daemonsets', namespace: 'logging' }),
    negative: k8s({ verb: 'get', resource: 'daemonsets', namespace: 'logging' }),
  },
  'PCI_DSS:10.2.1.7#system-object-created-or-deleted': {
    positive: k8s({ verb: 'delete', resource: 'namespaces' }),
    negative: k8s({ verb: 'update', resource: 'namespaces' }),
  },
  'PCI_DSS:10.2.2#complete-record': {
    positive: k8s(),
    negative: runtime('container.start', 'nginx'),
  },
  'PCI_DSS:10.3.2#audit-storage-changed': {
    positive: k8s({ verb: 'patch', resource: 'configmaps', namespace: 'logging' }),
    negative: k8s({ verb: 'patch', resource: 'configmaps', namespace: 'payments' }),
  },
  'PCI_DSS:10.7.2#audit-component-lifecycle': {
    positive: runtime('container.die', 'docker.io/falcosecurity/falco'),
    negative: runtime('container.die', 'docker.io/library/nginx'),
  },
  'PCI_DSS:10.7.2#falco-internal-failure': {
    positive: falco('Falco internal: syscall event drop', 4),
    negative: falco('Terminal shell in container', 4),
  },
  'PCI_DSS:2.2.6#privileged-workload': {
    positive: k8s(privileged),
    negative: k8s({ ...privileged, request: { privileged: false } }),
  },
  'PCI_DSS:2.2.6#policy-enforced': {
    positive: policyDecision('denied', 'create'),
    // A refusal of an HTTP API call (OPA as an authorizer) is not about a Kubernetes object.
    negative: policyDecision('denied'),
  },
  'PCI_DSS:7.2.2#admin-role-binding': {
    positive: k8s({ ...bindAdmin, resource: 'rolebindings', request: { role_ref: 'ClusterRole/admin' } }),
    negative: k8s({ ...bindAdmin, verb: 'delete' }),
  },
  'PCI_DSS:7.2.2#wildcard-role': {
    positive: k8s({
      verb: 'create',
      resource: 'clusterroles',
      request: { wildcards: ['verbs', 'resources'] },
    }),
    negative: k8s({ verb: 'create', resource: 'clusterroles', request: { wildcards: ['nonResourceURLs'] } }),
  },
  'PCI_DSS:6.3.1#critical-vulnerabilities': { positive: scan(2), negative: scan(0) },
  'HIPAA:164.312(a)(1)#ephi-data-access': {
    positive: k8s({ verb: 'list', resource: 'configmaps' }),
    negative: k8s({ verb: 'list', resource: 'pods' }),
  },
  'HIPAA:164.312(a)(1)#ephi-access-denied': {
    positive: access('cairn.auth_failure'),
    negative: access('cairn.query', 'BAD_USER_INPUT'),
  },
  'PCI_DSS:10.3.4#integrity-verified': {
    positive: verification('success'),
    negative: verification('failure'),
  },
  'HIPAA:164.312(c)(2)#integrity-verified': {
    positive: verification('success'),
    negative: verification('failure'),
  },
  'HIPAA:164.312(b)#ephi-activity-recorded': {
    positive: k8s({ verb: 'create', resource: 'deployments', namespace: 'ehr' }),
    negative: k8s({ verb: 'create', resource: 'deployments', namespace: 'payments' }),
  },
  'HIPAA:164.312(b)#audit-trail-query': { positive: access('cairn.query'), negative: k8s() },
  'HIPAA:164.312(b)#audit-component-lifecycle': {
    positive: runtime('container.stop', 'cr.fluentbit.io/fluent/fluent-bit'),
    negative: runtime('container.start', 'cr.fluentbit.io/fluent/fluent-bit'),
  },
  'HIPAA:164.312(c)(1)#ephi-change': {
    positive: k8s({ verb: 'update', resource: 'deployments' }),
    negative: k8s({ verb: 'update', resource: 'services' }),
  },
  'HIPAA:164.312(c)(1)#privileged-workload': {
    positive: k8s({ ...privileged, request: { host_paths: ['/var/run/docker.sock'] } }),
    negative: k8s({ ...privileged, verb: 'get' }),
  },
  'HIPAA:164.312(d)#authentication-failed': {
    positive: k8s({ code: 401, outcome: 'failure' }),
    negative: k8s({ code: 403, outcome: 'failure' }),
  },
  'HIPAA:164.312(d)#token-issued': {
    positive: k8s({ verb: 'create', resource: 'serviceaccounts', subresource: 'token' }),
    negative: k8s({ verb: 'create', resource: 'secrets' }),
  },
  'HIPAA:164.308(a)(1)(ii)(D)#activity-review': {
    positive: access('cairn.query'),
    negative: access('cairn.query', 'FORBIDDEN'),
  },
  'HIPAA:164.308(a)(5)(ii)(C)#login-refused': {
    positive: k8s({ code: 401, outcome: 'failure' }),
    negative: k8s({ code: 500, outcome: 'failure' }),
  },
  'HIPAA:164.308(a)(5)(ii)(C)#interactive-session': {
    positive: k8s({ ...person, verb: 'create', resource: 'pods', subresource: 'attach' }),
    negative: k8s({ ...robot, verb: 'create', resource: 'pods', subresource: 'attach' }),
  },
  'HIPAA:164.308(a)(6)(ii)#security-alert': {
    positive: falco('Terminal shell in container', 5),
    negative: runtime('container.start', 'nginx'),
  },
  'GDPR:Art. 5(1)(f)#personal-data-access': {
    positive: k8s({ verb: 'create', resource: 'pods', subresource: 'portforward' }),
    negative: k8s({ verb: 'create', resource: 'pods', subresource: 'log' }),
  },
  'GDPR:Art. 5(1)(f)#personal-data-access-denied': {
    positive: k8s({ code: 403, decision: 'forbid', outcome: 'failure' }),
    negative: k8s(),
  },
  'GDPR:Art. 25#privileged-workload': {
    positive: k8s({ ...privileged, request: { host_network: true } }),
    negative: k8s({ ...privileged, request: {} }),
  },
  'GDPR:Art. 30#processing-workload-change': {
    positive: k8s({ verb: 'create', resource: 'statefulsets' }),
    negative: k8s({ verb: 'patch', resource: 'statefulsets' }),
  },
  'GDPR:Art. 32#security-alert': { positive: falco('Write below etc', 4), negative: k8s() },
  'GDPR:Art. 32#access-denied': {
    positive: k8s({ code: 403, outcome: 'failure' }),
    negative: k8s({ code: 409, outcome: 'failure' }),
  },
  'GDPR:Art. 33#serious-alert': {
    positive: falco('Launch Privileged Container', 2),
    negative: falco('Launch Privileged Container', 4),
  },
};

const ruleKeys = CONTROLS.flatMap((control) =>
  control.rules.map((rule) => ({ key: `${controlRef(control)}#${rule.id}`, rule })),
);

describe('every catalog rule', () => {
  it('has a positive and a negative case, and no case names a rule that does not exist', () => {
    expect(Object.keys(CASES).sort()).toEqual(ruleKeys.map(({ key }) => key).sort());
  });

  it.each(ruleKeys)('$key matches its positive case and not its negative', ({ key, rule }) => {
    expect(engine.matches(rule.when, CASES[key].positive)).toBe(true);
    expect(engine.matches(rule.when, CASES[key].negative)).toBe(false);
  });
});

describe('scope', () => {
  it('tags data-access controls only inside their framework scope', () => {
    const read = (namespace: string) =>
      engine.controlsFor(k8s({ ...person, verb: 'get', resource: 'secrets', namespace }));
    expect(read('payments')).toContain('PCI_DSS:10.2.1.1');
    expect(read('payments')).not.toContain('HIPAA:164.312(a)(1)');
    expect(read('ehr')).toContain('HIPAA:164.312(a)(1)');
    expect(read('ehr')).not.toContain('PCI_DSS:10.2.1.1');
    expect(read('crm')).toContain('GDPR:Art. 5(1)(f)');
    expect(read('default').filter((ref) => /10\.2\.1\.1|164\.312\(a\)|Art\. 5/.test(ref))).toEqual([]);
  });

  it('counts a policy refusal as a refused access attempt, an HTTP one too; an allowed decision is none', () => {
    for (const refusal of [policyDecision('denied', 'create', 'default'), policyDecision('denied')]) {
      expect(engine.controlsFor(refusal)).toEqual(
        expect.arrayContaining(['PCI_DSS:10.2.1.4', 'HIPAA:164.308(a)(5)(ii)(C)']),
      );
    }
    expect(engine.controlsFor(policyDecision('denied'))).not.toContain('PCI_DSS:2.2.6');
    expect(engine.controlsFor(policyDecision('allowed', 'create', 'default'))).not.toContain(
      'PCI_DSS:10.2.1.4',
    );
  });

  it('tags cluster-wide controls everywhere', () => {
    const denied = k8s({ ...robot, code: 403, decision: 'forbid', outcome: 'failure', namespace: 'default' });
    expect(engine.controlsFor(denied)).toEqual(
      expect.arrayContaining(['PCI_DSS:10.2.1.4', 'HIPAA:164.308(a)(5)(ii)(C)']),
    );
  });

  it('finds scope through runtime events (kubernetes.namespace) and image names', () => {
    const imageScoped = new ComplianceEngine(parseScope({ scopes: { HIPAA: { images: ['ehr/api'] } } }));
    expect(imageScoped.inScope(runtime('container.start', 'registry.local:5000/ehr/api'), 'HIPAA')).toBe(
      true,
    );
    expect(imageScoped.inScope(runtime('container.start', 'registry.local:5000/ehr/apix'), 'HIPAA')).toBe(
      false,
    );
    expect(engine.inScope(runtime('container.start', 'nginx', 'payments'), 'PCI_DSS')).toBe(true);
  });

  it('with no scope configured, tags no data-access control at all', () => {
    const unscoped = new ComplianceEngine(parseScope(undefined));
    const read = k8s({ ...person, verb: 'get', resource: 'secrets', namespace: 'payments' });
    expect(unscoped.controlsFor(read).filter((ref) => ref.startsWith('PCI_DSS:10.2.1.1'))).toEqual([]);
    expect(unscoped.isConfigured('PCI_DSS')).toBe(false);
    expect(engine.isConfigured('PCI_DSS')).toBe(true);
  });

  it('stores the tags with a version that changes with the scope', () => {
    const tagged = engine.tag(k8s({ code: 401, outcome: 'failure' }));
    expect(tagged.cairn.compliance?.controls).toContain('HIPAA:164.312(d)');
    expect(tagged.cairn.compliance?.version).toBe(engine.version);
    const other = new ComplianceEngine(parseScope({ scopes: { PCI_DSS: { namespaces: ['cde'] } } }));
    expect(other.version).not.toBe(engine.version);
  });
});

describe('on the normalizers’ golden outputs (real-shaped events)', () => {
  const golden = (source: string, name: string): AuditEventDocument => {
    const parsed = JSON.parse(
      readFileSync(
        join(__dirname, '..', '..', 'normalizers', 'src', source, 'fixtures', `${name}.expected.json`),
        'utf8',
      ),
    ) as AuditEventDocument | AuditEventDocument[];
    return Array.isArray(parsed) ? parsed[0] : parsed;
  };

  it.each([
    [
      'kubernetes-audit',
      'v1-clusterrole-create-wildcard',
      ['PCI_DSS:7.2.2', 'PCI_DSS:10.2.1.2', 'PCI_DSS:10.2.1.7'],
    ],
    [
      'kubernetes-audit',
      'v1-clusterrolebinding-create',
      ['PCI_DSS:10.2.1.5', 'PCI_DSS:7.2.2', 'PCI_DSS:10.2.1.7'],
    ],
    ['kubernetes-audit', 'v1-secret-get-forbidden', ['PCI_DSS:10.2.1.4', 'HIPAA:164.308(a)(5)(ii)(C)']],
    ['kubernetes-audit', 'v1-pod-create-privileged', ['PCI_DSS:2.2.6']],
    ['kubernetes-audit', 'v1-pods-exec', ['PCI_DSS:10.2.1.1', 'PCI_DSS:10.2.1.2']],
    ['falco', 'syscall-terminal-shell', ['HIPAA:164.308(a)(6)(ii)']],
  ])('%s/%s evidences %j', (source, name, expected) => {
    expect(engine.controlsFor(golden(source, name))).toEqual(expect.arrayContaining(expected));
  });

  it('leaves a health check unevidenced', () => {
    expect(engine.controlsFor(golden('kubernetes-audit', 'nonresource-healthz'))).not.toContain(
      'PCI_DSS:10.2.1.1',
    );
  });
});

describe('the per-product rule lists', () => {
  // Every golden output of every normalizer, each also claiming every other product: the lists an
  // event is evaluated against must give what evaluating every rule would.
  const goldens = readdirSync(join(__dirname, '..', '..', 'normalizers', 'src'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const dir = join(__dirname, '..', '..', 'normalizers', 'src', entry.name, 'fixtures');
      if (!existsSync(dir)) return [];
      return readdirSync(dir)
        .filter((name) => name.endsWith('.expected.json'))
        .flatMap((name) => [JSON.parse(readFileSync(join(dir, name), 'utf8')) as unknown].flat());
    })
    .filter(
      (value): value is AuditEventDocument => typeof value === 'object' && value !== null && 'cairn' in value,
    );
  const everyRule = (document: AuditEventDocument) =>
    CONTROLS.filter(
      (control) =>
        (control.applies !== 'scoped' || engine.inScope(document, control.framework)) &&
        control.rules.some((rule) => engine.matches(rule.when, document)),
    )
      .map(controlRef)
      .sort();

  it('give the controls every rule would, for every product an event may claim', () => {
    expect(goldens.length).toBeGreaterThan(50);
    let evidenced = 0;
    for (const golden of goldens) {
      for (const product of PRODUCTS) {
        const document = { ...golden, cairn: { ...golden.cairn, product } };
        const controls = engine.controlsFor(document);
        expect(controls).toEqual(everyRule(document));
        evidenced += controls.length;
      }
    }
    expect(evidenced).toBeGreaterThan(0);
  });
});
