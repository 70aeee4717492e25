import type { Control, FrameworkInfo } from './catalog.types';
import type { Matcher, Rule } from './rule';

/**
 * The controls Cairn maps its events to. Bump CATALOG_VERSION whenever a rule changes: stored
 * events carry the version they were tagged with, and `npm run retag` finds the stale ones.
 */
export const CATALOG_VERSION = '2026.12.3';

export const FRAMEWORK_INFO: readonly FrameworkInfo[] = [
  {
    id: 'PCI_DSS',
    name: 'Payment Card Industry Data Security Standard',
    version: 'v4.0.1',
    citation: 'PCI DSS v4.0.1 (PCI Security Standards Council, June 2024)',
  },
  {
    id: 'HIPAA',
    name: 'HIPAA Security Rule',
    version: '45 CFR Part 164 Subpart C',
    citation: '45 CFR §§ 164.302-164.318',
  },
  {
    id: 'GDPR',
    name: 'General Data Protection Regulation',
    version: 'Regulation (EU) 2016/679',
    citation: 'Regulation (EU) 2016/679 of the European Parliament and of the Council',
  },
];

// Building blocks, named for what they select. All are plain data.
const kubernetes: Matcher = { field: 'cairn.product', equals: 'kubernetes' };
const verbs = (...list: string[]): Matcher => ({ field: 'kubernetes.verb', in: list });
const resources = (...list: string[]): Matcher => ({ field: 'orchestrator.resource.type', in: list });
/** The long-running workload kinds several controls watch for changes. */
const WORKLOADS = ['pods', 'deployments', 'statefulsets', 'daemonsets'];
const mutating = verbs('create', 'update', 'patch', 'delete', 'deletecollection');
const reading = verbs('get', 'list', 'watch');
const dataObjects = resources('secrets', 'configmaps', 'persistentvolumeclaims');
const interactive: Matcher = { field: 'kubernetes.subresource', in: ['exec', 'attach', 'portforward'] };
/** A policy engine refused what it was asked about (an admission request, an API call). */
const policyRefusal: Matcher = {
  all: [
    { field: 'cairn.source_kind', equals: 'POLICY' },
    { field: 'event.type', equals: 'denied' },
  ],
};
const denied: Matcher = {
  any: [
    policyRefusal,
    { field: 'kubernetes.response_code', in: [401, 403] },
    { field: 'kubernetes.authorization.decision', equals: 'forbid' },
    { field: 'event.action', equals: 'cairn.auth_failure' },
    { field: 'cairn.api.error_code', in: ['UNAUTHENTICATED', 'FORBIDDEN'] },
  ],
};
const unauthenticated: Matcher = {
  any: [
    { field: 'kubernetes.response_code', equals: 401 },
    { field: 'event.action', equals: 'cairn.auth_failure' },
  ],
};
const hostAccess: Matcher = {
  any: [
    { field: 'kubernetes.request.privileged', equals: true },
    { field: 'kubernetes.request.host_network', equals: true },
    { field: 'kubernetes.request.host_pid', equals: true },
    { field: 'kubernetes.request.host_ipc', equals: true },
    { field: 'kubernetes.request.host_paths', exists: true },
  ],
};
const privilegedWorkload: Matcher = { all: [kubernetes, verbs('create', 'update', 'patch'), hostAccess] };
const bindingChange: Matcher = {
  all: [kubernetes, resources('rolebindings', 'clusterrolebindings'), mutating],
};
const adminRoleBinding: Matcher = {
  all: [
    kubernetes,
    resources('rolebindings', 'clusterrolebindings'),
    verbs('create', 'update', 'patch'),
    { field: 'kubernetes.request.role_ref', in: ['ClusterRole/cluster-admin', 'ClusterRole/admin'] },
  ],
};
const credentialChange: Matcher = {
  any: [
    {
      all: [
        kubernetes,
        resources('serviceaccounts', 'certificatesigningrequests'),
        { any: [mutating, { field: 'kubernetes.subresource', equals: 'token' }] },
      ],
    },
    bindingChange,
  ],
};
const auditComponentLifecycle: Matcher = {
  all: [
    { auditComponent: true },
    {
      any: [
        { all: [kubernetes, mutating, resources('pods', 'daemonsets', 'deployments', 'statefulsets')] },
        { field: 'event.action', in: ['container.die', 'container.stop', 'container.kill', 'container.oom'] },
      ],
    },
  ],
};
const auditTrailRead: Matcher = {
  all: [
    { field: 'cairn.product', equals: 'cairn' },
    // The outcome record: one per request. An authorized request's received record
    // (cairn.query_received, stored before its answer) is its pair, not a second piece of evidence.
    { field: 'event.action', equals: 'cairn.query' },
  ],
};
const systemLevelObjects = resources(
  'nodes',
  'namespaces',
  'clusterroles',
  'clusterrolebindings',
  'customresourcedefinitions',
  'mutatingwebhookconfigurations',
  'validatingwebhookconfigurations',
  'priorityclasses',
  'storageclasses',
  'persistentvolumes',
);
const createOrDelete = verbs('create', 'delete', 'deletecollection');
const securityAlert: Matcher = { field: 'event.kind', equals: 'alert' };
// Falco priorities on the syslog scale: 0 emergency … 3 error … 7 debug.
const seriousAlert: Matcher = { all: [securityAlert, { field: 'event.severity', atMost: 3 }] };
const criticalVulnerabilities: Matcher = {
  any: [
    { field: 'registry.scan.critical', atLeast: 1 },
    { field: 'registry.scan.severity', in: ['Critical', 'critical', 'CRITICAL'] },
  ],
};
/** A verification of the stored trail's hash chains against its signed checkpoints, by outcome. */
const integrityVerification = (outcome: 'success' | 'failure'): Matcher => ({
  all: [
    { field: 'cairn.product', equals: 'cairn' },
    { field: 'event.action', equals: 'cairn.integrity.verify' },
    { field: 'event.outcome', equals: outcome },
  ],
});
/** PCI DSS 10.3.4 and HIPAA 164.312(c)(2) are evidenced alike: by verifications that passed. */
const integrityVerified: Rule = {
  id: 'integrity-verified',
  description: 'a verification found every chain intact',
  when: integrityVerification('success'),
};
const dataAccess: Matcher = {
  all: [kubernetes, { any: [{ all: [dataObjects, reading] }, interactive] }],
};

/**
 * PCI DSS 10.2.2: user, type of event, date and time, success or failure, origination, affected
 * component, each as the fields that record it ("affected component" is whichever the source
 * has). The rule and the report's field shares both read this one list.
 */
export const PCI_RECORD_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'user.name': ['user.name'],
  'event.action': ['event.action'],
  '@timestamp': ['@timestamp'],
  'event.outcome': ['event.outcome'],
  'source.ip': ['source.ip'],
  affected_component: ['orchestrator.resource.name', 'container.id', 'registry.repository'],
};
const carriesAll = (details: Readonly<Record<string, readonly string[]>>): Matcher => ({
  all: Object.values(details).map((stored) => ({ any: stored.map((field) => ({ field, exists: true })) })),
});

export const CONTROLS: readonly Control[] = [
  {
    framework: 'PCI_DSS',
    id: '10.2.1.1',
    title: 'Individual user access to cardholder data',
    summary:
      'Every access by a person (not a machine identity) to data in the cardholder data environment: secrets, config maps and volume claims read, interactive sessions in its pods.',
    citation: 'PCI DSS v4.0.1 Requirement 10.2.1.1',
    applies: 'scoped',
    rules: [
      {
        id: 'human-reads-or-enters-cde',
        description: 'a person reads a secret, config map or volume claim, or opens exec/attach/port-forward',
        // Refused attempts are 10.2.1.4's; this control is about access that happened.
        when: { all: [{ actor: 'human' }, { field: 'event.outcome', equals: 'success' }, dataAccess] },
      },
    ],
  },
  {
    framework: 'PCI_DSS',
    id: '10.2.1.2',
    title: 'All actions by anyone with administrative access',
    summary: 'Every request made by a configured administrator (adminUsers, or a member of adminGroups).',
    citation: 'PCI DSS v4.0.1 Requirement 10.2.1.2',
    applies: 'cluster',
    rules: [{ id: 'admin-actor', description: 'the actor is an administrator', when: { actor: 'admin' } }],
  },
  {
    framework: 'PCI_DSS',
    id: '10.2.1.3',
    title: 'Access to all audit logs',
    summary:
      "Every query of Cairn's own audit trail (its access records), and every read of, or session in, the audit components' workloads.",
    citation: 'PCI DSS v4.0.1 Requirement 10.2.1.3',
    applies: 'cluster',
    rules: [
      { id: 'audit-trail-query', description: "a query of Cairn's audit trail", when: auditTrailRead },
      {
        id: 'audit-component-access',
        description: 'a read of, or session in, an audit component',
        when: { all: [{ auditComponent: true }, kubernetes, { any: [reading, interactive] }] },
      },
    ],
  },
  {
    framework: 'PCI_DSS',
    id: '10.2.1.4',
    title: 'Invalid logical access attempts',
    summary: 'Requests refused for authentication or authorization: Kubernetes 401/403, Cairn API refusals.',
    citation: 'PCI DSS v4.0.1 Requirement 10.2.1.4',
    applies: 'cluster',
    rules: [{ id: 'access-denied', description: 'an authentication or authorization refusal', when: denied }],
  },
  {
    framework: 'PCI_DSS',
    id: '10.2.1.5',
    title: 'Changes to identification and authentication credentials',
    summary:
      'Service accounts and their tokens, certificate signing requests, and role bindings created, changed or deleted, including elevation to admin roles.',
    citation: 'PCI DSS v4.0.1 Requirement 10.2.1.5',
    applies: 'cluster',
    rules: [
      { id: 'credential-change', description: 'a credential or binding changes', when: credentialChange },
      { id: 'admin-elevation', description: 'a binding to cluster-admin or admin', when: adminRoleBinding },
    ],
  },
  {
    framework: 'PCI_DSS',
    id: '10.2.1.6',
    title: 'Initialization, stopping or pausing of the audit logs',
    summary:
      'Audit components (configured namespaces and images) deployed, changed, deleted, or their containers stopping; the report adds every silence gap of a source.',
    citation: 'PCI DSS v4.0.1 Requirement 10.2.1.6',
    applies: 'cluster',
    rules: [
      {
        id: 'audit-component-lifecycle',
        description: 'an audit component starts, changes or stops',
        when: auditComponentLifecycle,
      },
    ],
    report: ['silence-gaps'],
  },
  {
    framework: 'PCI_DSS',
    id: '10.2.1.7',
    title: 'Creation and deletion of system-level objects',
    summary:
      'Cluster-level objects (nodes, namespaces, cluster roles and bindings, CRDs, admission webhooks, storage) and anything in kube-system created or deleted.',
    citation: 'PCI DSS v4.0.1 Requirement 10.2.1.7',
    applies: 'cluster',
    rules: [
      {
        id: 'system-object-created-or-deleted',
        description: 'a system-level object is created or deleted',
        when: {
          all: [
            kubernetes,
            createOrDelete,
            { any: [systemLevelObjects, { field: 'orchestrator.namespace', equals: 'kube-system' }] },
          ],
        },
      },
    ],
  },
  {
    framework: 'PCI_DSS',
    id: '10.2.2',
    title: 'Audit logs record the required details',
    summary:
      'Records carrying user, event type, date and time, outcome, origination and affected component; the report gives the share of events with each, per source.',
    citation: 'PCI DSS v4.0.1 Requirement 10.2.2',
    applies: 'cluster',
    requiredFields: Object.keys(PCI_RECORD_FIELDS),
    rules: [
      {
        id: 'complete-record',
        description: 'an event carrying all six details',
        when: carriesAll(PCI_RECORD_FIELDS),
      },
    ],
    report: ['field-completeness'],
  },
  {
    framework: 'PCI_DSS',
    id: '10.3.2',
    title: 'Audit log files are protected from modification',
    summary: "Changes to the audit components' secrets, config maps and volumes.",
    citation: 'PCI DSS v4.0.1 Requirement 10.3.2',
    applies: 'cluster',
    rules: [
      {
        id: 'audit-storage-changed',
        description: "an audit component's secret, config map or volume claim changes",
        when: { all: [{ auditComponent: true }, kubernetes, dataObjects, mutating] },
      },
    ],
  },
  {
    framework: 'PCI_DSS',
    id: '10.3.4',
    title: 'Audit logs are monitored for changes, and changes alert',
    summary:
      "Cairn's scheduled verifications of the hash chains against the signed checkpoints; a failed one is a finding, naming what changed.",
    citation: 'PCI DSS v4.0.1 Requirement 10.3.4',
    applies: 'cluster',
    rules: [integrityVerified],
    report: ['integrity-verifications'],
  },
  {
    framework: 'PCI_DSS',
    id: '10.5.1',
    title: 'Audit log history is retained for at least 12 months',
    summary:
      'Report only: the oldest stored event against the configured retention (12 months, the last 3 immediately available).',
    citation: 'PCI DSS v4.0.1 Requirement 10.5.1',
    applies: 'cluster',
    rules: [],
    report: ['retention'],
  },
  {
    framework: 'PCI_DSS',
    id: '10.7.2',
    title: 'Failures of critical security control systems are detected',
    summary:
      'Audit and detection components stopping or failing, Falco reporting its own failures; the report adds every silence gap.',
    citation: 'PCI DSS v4.0.1 Requirement 10.7.2',
    applies: 'cluster',
    rules: [
      {
        id: 'audit-component-lifecycle',
        description: 'an audit component changes or stops',
        when: auditComponentLifecycle,
      },
      {
        id: 'falco-internal-failure',
        description: 'Falco reports its own failure (dropped events)',
        when: { field: 'rule.name', prefix: 'Falco internal' },
      },
    ],
    report: ['silence-gaps'],
  },
  {
    framework: 'PCI_DSS',
    id: '2.2.6',
    title: 'System security parameters are configured to prevent misuse',
    summary:
      'Privileged or host-namespace (network, PID, IPC, host path) workloads in the cardholder data environment.',
    citation: 'PCI DSS v4.0.1 Requirement 2.2.6',
    applies: 'scoped',
    rules: [
      {
        id: 'privileged-workload',
        description: 'a privileged or host-namespace workload',
        when: privilegedWorkload,
      },
      {
        // A refused workload or change is the configuration standard being enforced, not only written.
        id: 'policy-enforced',
        description: 'a policy engine refused a Kubernetes workload or change',
        // A refusal about a Kubernetes object (an admission request), not an HTTP API's authorization.
        when: { all: [policyRefusal, { field: 'orchestrator.type', equals: 'kubernetes' }] },
      },
    ],
  },
  {
    framework: 'PCI_DSS',
    id: '7.2.2',
    title: 'Access is assigned on least privilege',
    summary:
      'Bindings that grant cluster-admin or admin, and roles written with "*" verbs, resources or API groups.',
    citation: 'PCI DSS v4.0.1 Requirement 7.2.2',
    applies: 'cluster',
    rules: [
      {
        id: 'admin-role-binding',
        description: 'a binding to cluster-admin or admin',
        when: adminRoleBinding,
      },
      {
        id: 'wildcard-role',
        description: 'a role created or changed with "*" verbs, resources or API groups',
        when: {
          all: [
            kubernetes,
            resources('roles', 'clusterroles'),
            verbs('create', 'update', 'patch'),
            { field: 'kubernetes.request.wildcards', in: ['verbs', 'resources', 'apiGroups'] },
          ],
        },
      },
    ],
  },
  {
    framework: 'PCI_DSS',
    id: '6.3.1',
    title: 'Security vulnerabilities are identified and managed',
    summary: 'Registry scan results that report critical vulnerabilities in an image.',
    citation: 'PCI DSS v4.0.1 Requirement 6.3.1',
    applies: 'cluster',
    rules: [
      {
        id: 'critical-vulnerabilities',
        description: 'a scan finds critical vulnerabilities',
        when: criticalVulnerabilities,
      },
    ],
  },
  {
    framework: 'HIPAA',
    id: '164.312(a)(1)',
    title: 'Access control',
    summary:
      'Access to systems holding ePHI: data objects read, interactive sessions, and refused attempts there.',
    citation: '45 CFR § 164.312(a)(1)',
    applies: 'scoped',
    rules: [
      { id: 'ephi-data-access', description: 'a data object read or a session opened', when: dataAccess },
      { id: 'ephi-access-denied', description: 'an access refused', when: denied },
    ],
  },
  {
    framework: 'HIPAA',
    id: '164.312(b)',
    title: 'Audit controls',
    summary:
      'Mechanisms that record and examine activity: every security-relevant activity recorded inside ePHI scope (sessions, data reads, workloads created, changed or made privileged), the trail examined through Cairn, audit components started, changed or stopped.',
    citation: '45 CFR § 164.312(b)',
    applies: 'cluster',
    rules: [
      {
        id: 'ephi-activity-recorded',
        description:
          'a session opened, a data object read, or a workload created, changed or made privileged, in ePHI scope',
        when: {
          all: [
            { inScopeOf: 'HIPAA' },
            {
              any: [
                dataAccess,
                securityAlert,
                {
                  all: [kubernetes, mutating, resources(...WORKLOADS, 'jobs', 'cronjobs', 'replicasets')],
                },
                privilegedWorkload,
              ],
            },
          ],
        },
      },
      { id: 'audit-trail-query', description: "a query of Cairn's audit trail", when: auditTrailRead },
      {
        id: 'audit-component-lifecycle',
        description: 'an audit component starts, changes or stops',
        when: auditComponentLifecycle,
      },
    ],
  },
  {
    framework: 'HIPAA',
    id: '164.312(c)(1)',
    title: 'Integrity',
    summary: 'Changes to workloads and data objects in systems holding ePHI, and privileged workloads there.',
    citation: '45 CFR § 164.312(c)(1)',
    applies: 'scoped',
    rules: [
      {
        id: 'ephi-change',
        description: 'a workload or data object changes',
        when: {
          all: [
            kubernetes,
            mutating,
            resources(...WORKLOADS, 'secrets', 'configmaps', 'persistentvolumeclaims'),
          ],
        },
      },
      {
        id: 'privileged-workload',
        description: 'a privileged or host-namespace workload',
        when: privilegedWorkload,
      },
    ],
  },
  {
    framework: 'HIPAA',
    id: '164.312(c)(2)',
    title: 'Mechanism to authenticate electronic protected health information',
    summary:
      'Verifications that the stored trail, ePHI-scope events included, is unaltered: every hash recomputed, every link followed, checked against signed checkpoints.',
    citation: '45 CFR § 164.312(c)(2)',
    applies: 'cluster',
    rules: [integrityVerified],
    report: ['integrity-verifications'],
  },
  {
    framework: 'HIPAA',
    id: '164.312(d)',
    title: 'Person or entity authentication',
    summary: 'Failed authentications, and tokens issued to service accounts.',
    citation: '45 CFR § 164.312(d)',
    applies: 'cluster',
    rules: [
      { id: 'authentication-failed', description: 'an authentication fails', when: unauthenticated },
      {
        id: 'token-issued',
        description: 'a service account token is requested',
        when: {
          all: [
            kubernetes,
            resources('serviceaccounts'),
            { field: 'kubernetes.subresource', equals: 'token' },
          ],
        },
      },
    ],
  },
  {
    framework: 'HIPAA',
    id: '164.308(a)(1)(ii)(D)',
    title: 'Information system activity review',
    summary: "Reviews of the audit trail: successful queries of Cairn's records.",
    citation: '45 CFR § 164.308(a)(1)(ii)(D)',
    applies: 'cluster',
    rules: [
      {
        id: 'activity-review',
        description: 'a successful query of the audit trail',
        when: { all: [auditTrailRead, { field: 'event.outcome', equals: 'success' }] },
      },
    ],
  },
  {
    framework: 'HIPAA',
    id: '164.308(a)(5)(ii)(C)',
    title: 'Log-in monitoring',
    summary: 'Log-in attempts that failed, and interactive sessions people opened.',
    citation: '45 CFR § 164.308(a)(5)(ii)(C)',
    applies: 'cluster',
    rules: [
      { id: 'login-refused', description: 'an authentication or authorization refusal', when: denied },
      {
        id: 'interactive-session',
        description: 'a person opens exec, attach or port-forward',
        when: { all: [{ actor: 'human' }, kubernetes, interactive] },
      },
    ],
  },
  {
    framework: 'HIPAA',
    id: '164.308(a)(6)(ii)',
    title: 'Response and reporting of security incidents',
    summary: 'Security alerts raised by the detection layer (Falco).',
    citation: '45 CFR § 164.308(a)(6)(ii)',
    applies: 'cluster',
    rules: [{ id: 'security-alert', description: 'a security alert', when: securityAlert }],
  },
  {
    framework: 'GDPR',
    id: 'Art. 5(1)(f)',
    title: 'Integrity and confidentiality',
    summary:
      'Access to systems processing personal data: data objects read, sessions opened, attempts refused.',
    citation: 'Regulation (EU) 2016/679, Article 5(1)(f)',
    applies: 'scoped',
    rules: [
      { id: 'personal-data-access', description: 'a data object read or a session opened', when: dataAccess },
      { id: 'personal-data-access-denied', description: 'an access refused', when: denied },
    ],
  },
  {
    framework: 'GDPR',
    id: 'Art. 25',
    title: 'Data protection by design and by default',
    summary:
      'Workloads processing personal data started with privileges or host access they should not have.',
    citation: 'Regulation (EU) 2016/679, Article 25',
    applies: 'scoped',
    rules: [
      {
        id: 'privileged-workload',
        description: 'a privileged or host-namespace workload',
        when: privilegedWorkload,
      },
    ],
  },
  {
    framework: 'GDPR',
    id: 'Art. 30',
    title: 'Records of processing activities',
    summary: 'Workloads that process personal data created or removed.',
    citation: 'Regulation (EU) 2016/679, Article 30',
    applies: 'scoped',
    rules: [
      {
        id: 'processing-workload-change',
        description: 'a workload is created or deleted',
        when: {
          all: [
            kubernetes,
            createOrDelete,
            resources('deployments', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs'),
          ],
        },
      },
    ],
  },
  {
    framework: 'GDPR',
    id: 'Art. 32',
    title: 'Security of processing',
    summary: 'Security alerts and refused access in systems processing personal data.',
    citation: 'Regulation (EU) 2016/679, Article 32',
    applies: 'scoped',
    rules: [
      { id: 'security-alert', description: 'a security alert', when: securityAlert },
      { id: 'access-denied', description: 'an access refused', when: denied },
    ],
  },
  {
    framework: 'GDPR',
    id: 'Art. 33',
    title: 'Notification of a personal data breach',
    summary:
      'Serious alerts (error or worse) in systems processing personal data: the events that may start the 72-hour clock.',
    citation: 'Regulation (EU) 2016/679, Article 33',
    applies: 'scoped',
    rules: [{ id: 'serious-alert', description: 'an alert of priority error or worse', when: seriousAlert }],
  },
];
