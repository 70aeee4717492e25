import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outcomeRecordsStored } from './support/access-records';
import { startCairn, type CairnUnderTest } from './support/cairn-under-test';
import { graphql, newToken } from './support/graphql-client';
import { runUntilExit } from './support/app-process';
import { appEnvironment, elasticsearch, eventually, isolatedNames, REPO } from './support/local-stack';

/**
 * A scripted incident through real Kafka into real Elasticsearch, then the auditor's questions:
 * refused exec attempts, a service account binding itself to cluster-admin, a person exec'ing
 * into a cardholder-data pod and reading a secret there, a privileged pod in the ePHI namespace,
 * the Falco daemonset deleted, then silence from Falco.
 */
const names = isolatedNames('comply');
const auditor = newToken('e2e-auditor', 'auditor');
const siem = newToken('e2e-siem', 'siem');
const MINUTE = 60_000;
const now = Date.now();
const at = (minutesAgo: number) => new Date(now - minutesAgo * MINUTE).toISOString();

let cairn: CairnUnderTest;
let configDir: string;

interface K8sRequest {
  minutesAgo: number;
  user: string;
  groups?: string[];
  verb: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name: string;
  code: number;
  requestObject?: unknown;
}

function k8s(request: K8sRequest): string {
  const path = request.namespace
    ? `/api/v1/namespaces/${request.namespace}/${request.resource}`
    : `/apis/rbac.authorization.k8s.io/v1/${request.resource}`;
  return JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: request.requestObject ? 'Request' : 'Metadata',
    auditID: randomUUID(),
    stage: 'ResponseComplete',
    requestURI: `${path}/${request.name}${request.subresource ? `/${request.subresource}` : ''}`,
    verb: request.verb,
    user: { username: request.user, groups: request.groups ?? ['system:authenticated'] },
    sourceIPs: ['10.20.30.40'],
    userAgent: 'kubectl/v1.31.0',
    objectRef: {
      resource: request.resource,
      subresource: request.subresource,
      namespace: request.namespace,
      name: request.name,
      apiVersion: 'v1',
    },
    responseStatus: { metadata: {}, code: request.code },
    requestObject: request.requestObject,
    requestReceivedTimestamp: at(request.minutesAgo),
    stageTimestamp: at(request.minutesAgo),
    annotations: { 'authorization.k8s.io/decision': request.code === 403 ? 'forbid' : 'allow' },
  });
}

function falcoAlert(minutesAgo: number): string {
  const template = JSON.parse(
    readFileSync(join(REPO, 'libs/normalizers/src/falco/fixtures/syscall-terminal-shell.json'), 'utf8'),
  ) as Record<string, unknown> & { output_fields: Record<string, unknown> };
  template.uuid = randomUUID();
  template.time = at(minutesAgo);
  delete template.output_fields['evt.time'];
  return JSON.stringify(template);
}

function harborScan(minutesAgo: number): string {
  const scan = JSON.parse(
    readFileSync(join(REPO, 'libs/normalizers/src/harbor/fixtures/default-scanning-completed.json'), 'utf8'),
  ) as {
    occur_at: number;
    event_data: { resources: { scan_overview: Record<string, { report_id: string }> }[] };
  };
  scan.occur_at = Math.floor((now - minutesAgo * MINUTE) / 1000);
  for (const report of Object.values(scan.event_data.resources[0].scan_overview))
    report.report_id = randomUUID();
  return JSON.stringify(scan);
}

const incident: { topic: 'orchestrator' | 'runtime' | 'registry'; value: string }[] = [
  { topic: 'runtime', value: falcoAlert(50) },
  { topic: 'runtime', value: falcoAlert(40) },
  ...[30, 29].map((minutesAgo) => ({
    topic: 'orchestrator' as const,
    value: k8s({
      minutesAgo,
      user: 'mallory',
      verb: 'create',
      resource: 'pods',
      subresource: 'exec',
      namespace: 'payments',
      name: 'checkout-1',
      code: 403,
    }),
  })),
  {
    topic: 'orchestrator',
    value: k8s({
      minutesAgo: 25,
      user: 'system:serviceaccount:ci:deployer',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:ci'],
      verb: 'create',
      resource: 'clusterrolebindings',
      name: 'ci-admin',
      code: 201,
      requestObject: {
        kind: 'ClusterRoleBinding',
        apiVersion: 'rbac.authorization.k8s.io/v1',
        metadata: { name: 'ci-admin' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }],
      },
    }),
  },
  {
    topic: 'orchestrator',
    value: k8s({
      minutesAgo: 20,
      user: 'alice',
      verb: 'create',
      resource: 'pods',
      subresource: 'exec',
      namespace: 'payments',
      name: 'checkout-1',
      code: 101,
    }),
  },
  {
    topic: 'orchestrator',
    value: k8s({
      minutesAgo: 19,
      user: 'alice',
      verb: 'get',
      resource: 'secrets',
      namespace: 'payments',
      name: 'stripe-key',
      code: 200,
    }),
  },
  {
    topic: 'orchestrator',
    value: k8s({
      minutesAgo: 18,
      user: 'alice',
      verb: 'get',
      resource: 'secrets',
      namespace: 'default',
      name: 'other',
      code: 200,
    }),
  },
  {
    topic: 'orchestrator',
    value: k8s({
      minutesAgo: 15,
      user: 'bob',
      groups: ['platform-admins'],
      verb: 'create',
      resource: 'pods',
      namespace: 'ehr',
      name: 'debug',
      code: 201,
      requestObject: {
        kind: 'Pod',
        apiVersion: 'v1',
        metadata: { name: 'debug', namespace: 'ehr' },
        spec: { containers: [{ name: 'sh', image: 'busybox:1.36', securityContext: { privileged: true } }] },
      },
    }),
  },
  {
    topic: 'orchestrator',
    value: k8s({
      minutesAgo: 12,
      user: 'bob',
      groups: ['platform-admins'],
      verb: 'delete',
      resource: 'daemonsets',
      namespace: 'logging',
      name: 'falco',
      code: 200,
    }),
  },
  {
    topic: 'orchestrator',
    value: k8s({
      minutesAgo: 14,
      user: 'carol',
      verb: 'patch',
      resource: 'configmaps',
      namespace: 'logging',
      name: 'falco-rules',
      code: 200,
    }),
  },
  {
    topic: 'orchestrator',
    value: k8s({
      minutesAgo: 13,
      user: 'system:anonymous',
      groups: ['system:unauthenticated'],
      verb: 'get',
      resource: 'secrets',
      namespace: 'default',
      name: 'other',
      code: 401,
    }),
  },
  { topic: 'registry', value: harborScan(11) },
];

beforeAll(async () => {
  configDir = mkdtempSync(join(tmpdir(), 'cairn-compliance-'));
  const config = join(configDir, 'cairn.yaml');
  writeFileSync(
    config,
    [
      'compliance:',
      '  scopes:',
      '    PCI_DSS: { namespaces: [payments] }',
      '    HIPAA: { namespaces: [ehr] }',
      '    GDPR: { namespaces: [crm] }',
      '  adminGroups: [system:masters, platform-admins]',
      '  systemAccounts: ["system:*"]',
      '  auditComponents: { namespaces: [logging], images: [falco] }',
      '  silenceThresholdMinutes: 10',
      '',
    ].join('\n'),
  );
  cairn = await startCairn(names, {
    CAIRN_API_TOKENS: JSON.stringify([auditor.entry, siem.entry]),
    CAIRN_CONFIG: config,
  });
  for (const message of incident) {
    await cairn.producer.send({ topic: names.topics[message.topic], messages: [{ value: message.value }] });
  }
  // Waited for in Elasticsearch: every GraphQL query is itself evidence (10.2.1.3), and the
  // reports below count them exactly.
  const es = elasticsearch();
  try {
    await eventually(async () => {
      await es.indices.refresh({ index: `${names.indexPrefix}-*`, allow_no_indices: true });
      const { count } = await es.count({ index: `${names.indexPrefix}-*`, allow_no_indices: true });
      return count === incident.length ? true : undefined;
    }, 'the incident to be stored');
  } finally {
    await es.close();
  }
});

afterAll(async () => {
  await cairn?.stop();
});

interface ControlRow {
  id: string;
  status: string;
  evidenceCount: number;
  sampleEventIds: string[];
  findings: string[];
}
interface Report {
  complianceReport: {
    catalogVersion: string;
    controls: ControlRow[];
    fieldCompleteness: { product: string; events: number; fields: { field: string; share: number }[] }[];
    retention: { coveredDays: number; requiredDays: number; met: boolean } | null;
    silenceGaps: { product: string; from: string; to: string; minutes: number }[];
    silenceResolutionMinutes: number;
  };
}

/** Asked once every earlier access record is searchable, so the counts of queries are exact. */
async function report(framework: string): Promise<Report['complianceReport']> {
  const es = elasticsearch();
  await es.indices.refresh({ index: `${names.indexPrefix}-*` }).finally(() => es.close());
  const answer = await graphql<Report>(
    cairn.api.baseUrl,
    auditor.token,
    `
      query R($framework: Framework!, $from: DateTime!, $to: DateTime!) {
        complianceReport(framework: $framework, from: $from, to: $to) {
          catalogVersion
          controls {
            id
            status
            evidenceCount
            sampleEventIds
            findings
          }
          fieldCompleteness {
            product
            events
            fields {
              field
              share
            }
          }
          retention {
            coveredDays
            requiredDays
            met
          }
          silenceGaps {
            product
            from
            to
            minutes
          }
          silenceResolutionMinutes
        }
      }
    `,
    { framework, from: at(45), to: new Date(now + MINUTE).toISOString() },
  );
  expect(answer.errors).toBeUndefined();
  return answer.data!.complianceReport;
}

const row = (rows: ControlRow[], id: string) => rows.find((control) => control.id === id)!;

const ALL_SIX = [
  'user.name',
  'event.action',
  '@timestamp',
  'event.outcome',
  'source.ip',
  'affected_component',
];
const shares = (rows: Report['complianceReport']['fieldCompleteness']) =>
  Object.fromEntries(
    rows.map((source) => [
      source.product,
      { events: source.events, ...Object.fromEntries(source.fields.map((f) => [f.field, f.share])) },
    ]),
  );

it('reports PCI DSS evidence per control, the scope respected, retention and Falco silence as findings', async () => {
  // The auditor's first two queries of the trail: one answered, one refused (an auditor may not
  // filter by client address). Both are access records, and so evidence.
  const answered = await graphql(cairn.api.baseUrl, auditor.token, '{ events(first: 1) { totalCount } }');
  expect(answered.errors).toBeUndefined();
  const refused = await graphql(
    cairn.api.baseUrl,
    auditor.token,
    '{ events(filter: { sourceIp: "10.20.30.40" }) { totalCount } }',
  );
  expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  await outcomeRecordsStored(names.indexPrefix, 'e2e-auditor', 2);

  const asked = Date.now();
  const pci = await report('PCI_DSS');
  const answeredAt = Date.now();
  const counts = Object.fromEntries(pci.controls.map((control) => [control.id, control.evidenceCount]));
  expect(counts).toEqual({
    '10.2.1.1': 2, // alice's exec and secret read in payments; not her read in default
    '10.2.1.2': 2, // bob (platform-admins): the privileged pod and the daemonset deletion
    '10.2.1.3': 2, // the auditor's two queries above (a report is recorded after it is answered)
    '10.2.1.4': 4, // mallory's two refused execs, the anonymous 401, the auditor's refused query
    '10.2.1.5': 1, // the service account's cluster-admin binding
    '10.2.1.6': 1, // Falco's daemonset deleted
    '10.2.1.7': 1, // a cluster role binding created
    '10.2.2': 10, // every Kubernetes request carries all six details; Falco and Harbor lack a client address
    '10.3.2': 1, // carol's change to the audit component's config map
    '10.3.4': 0, // no integrity verification ran yet (the schedule is hourly)
    '10.5.1': 0, // a report-only control
    '10.7.2': 1, // Falco's daemonset deleted
    '2.2.6': 0, // the privileged pod is in ehr, not in the cardholder data environment
    '7.2.2': 1, // the cluster-admin binding
    '6.3.1': 1, // Harbor's scan with a critical vulnerability
  });
  expect(row(pci.controls, '10.2.1.3').status).toBe('EVIDENCED');
  expect(row(pci.controls, '2.2.6').status).toBe('NO_EVIDENCE');
  expect(row(pci.controls, '10.2.1.1').sampleEventIds).toHaveLength(2);
  expect(pci.retention).toMatchObject({ coveredDays: 0, requiredDays: 365, met: false });
  expect(row(pci.controls, '10.5.1')).toMatchObject({
    status: 'NO_EVIDENCE',
    findings: ['events cover 0 days; 365 required'],
  });

  // Falco's last event was 40 minutes ago (the one before the window does not count as inside
  // it). The gap's edges are exact to one step of the histogram: a quarter of the 10-minute
  // threshold, rounded up to whole minutes.
  expect(pci.silenceResolutionMinutes).toBe(3);
  const step = pci.silenceResolutionMinutes * MINUTE;
  expect(pci.silenceGaps.map((gap) => gap.product)).toEqual(['falco']);
  const [gap] = pci.silenceGaps;
  const lastFalco = now - 40 * MINUTE;
  expect(Date.parse(gap.from)).toBeGreaterThanOrEqual(lastFalco);
  expect(Date.parse(gap.from)).toBeLessThanOrEqual(lastFalco + step);
  expect(Date.parse(gap.to)).toBeGreaterThanOrEqual(asked);
  expect(Date.parse(gap.to)).toBeLessThanOrEqual(answeredAt);
  expect(gap.minutes).toBe(Math.round((Date.parse(gap.to) - Date.parse(gap.from)) / MINUTE));
  const finding = `falco sent nothing for ${gap.minutes} min from ${gap.from}`;
  expect(row(pci.controls, '10.7.2').findings).toEqual([finding]);
  expect(row(pci.controls, '10.2.1.6').findings).toEqual([finding]);

  // Every source in the window, every one of the six details (access records are not a source).
  const complete = Object.fromEntries(ALL_SIX.map((field) => [field, 1]));
  expect(shares(pci.fieldCompleteness)).toEqual({
    kubernetes: { events: 10, ...complete },
    falco: { events: 1, ...complete, 'source.ip': 0 },
    harbor: { events: 1, ...complete, 'source.ip': 0 },
  });
});

it('reports HIPAA and GDPR within their own scopes', async () => {
  await outcomeRecordsStored(names.indexPrefix, 'e2e-auditor', 3);
  const hipaa = await report('HIPAA');
  const counts = Object.fromEntries(hipaa.controls.map((control) => [control.id, control.evidenceCount]));
  expect(counts).toEqual({
    '164.312(a)(1)': 0, // nothing read or refused in ehr
    // three queries of the trail so far (two above and the PCI DSS report), the Falco daemonset
    // deleted, and the privileged pod created in ehr (activity recorded inside ePHI scope)
    '164.312(b)': 5,
    '164.312(c)(1)': 1, // the privileged pod in ehr
    '164.312(c)(2)': 0, // no integrity verification ran yet
    '164.312(d)': 1, // the anonymous 401
    '164.308(a)(1)(ii)(D)': 2, // the successful queries: the first above and the PCI DSS report
    '164.308(a)(5)(ii)(C)': 5, // the four refusals and alice's exec
    '164.308(a)(6)(ii)': 1, // the Falco alert inside the window
  });
  const gdpr = await report('GDPR');
  expect(
    gdpr.controls.every((control) => control.evidenceCount === 0 && control.status === 'NO_EVIDENCE'),
  ).toBe(true);
});

it('lists the evidence of a control, and filters and tags events by control', async () => {
  const evidence = await graphql<{
    complianceEvidence: {
      totalCount: number;
      edges: {
        node: {
          actor: { name: string };
          kubernetes: { namespace: string };
          compliance: { framework: string; control: string }[];
        };
      }[];
    };
  }>(
    cairn.api.baseUrl,
    auditor.token,
    `
      {
        complianceEvidence(framework: PCI_DSS, control: "10.2.1.1") {
          totalCount
          edges {
            node {
              actor {
                name
              }
              kubernetes {
                namespace
              }
              compliance {
                framework
                control
              }
            }
          }
        }
      }
    `,
  );
  expect(evidence.errors).toBeUndefined();
  expect(evidence.data!.complianceEvidence.totalCount).toBe(2);
  for (const { node } of evidence.data!.complianceEvidence.edges) {
    expect(node.actor.name).toBe('alice');
    expect(node.compliance).toEqual(expect.arrayContaining([{ framework: 'PCI_DSS', control: '10.2.1.1' }]));
  }
  const filtered = await graphql<{ events: { totalCount: number } }>(
    cairn.api.baseUrl,
    auditor.token,
    '{ events(filter: { control: { framework: PCI_DSS, id: "10.2.1.4" } }) { totalCount } }',
  );
  expect(filtered.data?.events.totalCount).toBe(4);

  // Paged one at a time, the evidence is the same four events, each once, newest first.
  const paged: { id: string; timestamp: string }[] = [];
  let after: string | undefined;
  for (let page = 0; page < 10; page += 1) {
    const answer = await graphql<{
      complianceEvidence: {
        totalCount: number;
        edges: { node: { id: string; timestamp: string } }[];
        pageInfo: { endCursor: string | null; hasNextPage: boolean };
      };
    }>(
      cairn.api.baseUrl,
      auditor.token,
      `
        query ($after: String) {
          complianceEvidence(framework: PCI_DSS, control: "10.2.1.4", first: 1, after: $after) {
            totalCount
            edges {
              node {
                id
                timestamp
              }
            }
            pageInfo {
              endCursor
              hasNextPage
            }
          }
        }
      `,
      { after },
    );
    expect(answer.errors).toBeUndefined();
    const connection = answer.data!.complianceEvidence;
    expect(connection.totalCount).toBe(4);
    paged.push(...connection.edges.map((edge) => edge.node));
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor!;
  }
  const byFilter = await graphql<{ events: { edges: { node: { id: string } }[] } }>(
    cairn.api.baseUrl,
    auditor.token,
    '{ events(filter: { control: { framework: PCI_DSS, id: "10.2.1.4" } }) { edges { node { id } } } }',
  );
  expect(paged.map((node) => node.id)).toEqual(byFilter.data!.events.edges.map((edge) => edge.node.id));
  expect(new Set(paged.map((node) => node.id)).size).toBe(4);
  const times = paged.map((node) => Date.parse(node.timestamp));
  expect(times).toEqual([...times].sort((a, b) => b - a));
  const unknown = await graphql(
    cairn.api.baseUrl,
    auditor.token,
    '{ complianceEvidence(framework: HIPAA, control: "10.2.1.1") { totalCount } }',
  );
  expect(unknown.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  const refused = await graphql(cairn.api.baseUrl, siem.token, '{ complianceFrameworks { id } }');
  expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  const catalog = await graphql<{
    complianceFrameworks: { id: string; scopeConfigured: boolean; controls: { id: string }[] }[];
  }>(cairn.api.baseUrl, auditor.token, '{ complianceFrameworks { id scopeConfigured controls { id } } }');
  expect(catalog.data?.complianceFrameworks.map((f) => [f.id, f.scopeConfigured])).toEqual([
    ['PCI_DSS', true],
    ['HIPAA', true],
    ['GDPR', true],
  ]);
});

it('re-tags stored events when the scope changes: dry run writes nothing, a second run finds nothing', async () => {
  // The cardholder data environment grows to include "default": alice's read there becomes evidence.
  const widened = join(configDir, 'widened.yaml');
  writeFileSync(
    widened,
    'compliance:\n  scopes: { PCI_DSS: { namespaces: [payments, default] } }\n  adminGroups: [platform-admins]\n',
  );
  const env = { ...appEnvironment(names), CAIRN_CONFIG: widened };
  const es = elasticsearch();
  const evidence = async () => {
    await es.indices.refresh({ index: `${names.indexPrefix}-*` });
    const { count } = await es.count({
      index: `${names.indexPrefix}-*`,
      query: { term: { 'cairn.compliance.controls': 'PCI_DSS:10.2.1.1' } },
    });
    return count;
  };
  try {
    expect(await evidence()).toBe(2);
    const dry = await runUntilExit('cli', env, 60_000, ['retag', '--dry-run']);
    expect(dry.code).toBe(0);
    const dryTotals = JSON.parse(dry.stdout) as { stale: number; changed: number; dryRun: boolean };
    expect(dryTotals).toMatchObject({ dryRun: true });
    expect(dryTotals.stale).toBeGreaterThanOrEqual(incident.length);
    expect(dryTotals.changed).toBeGreaterThanOrEqual(1);
    expect(await evidence()).toBe(2);

    const run = await runUntilExit('cli', env, 60_000, ['retag']);
    expect(run.code).toBe(0);
    const totals = JSON.parse(run.stdout) as {
      stale: number;
      scanned: number;
      failed: number;
      version: string;
    };
    expect(totals).toMatchObject({ failed: 0 });
    expect(totals.scanned).toBe(totals.stale);
    expect(await evidence()).toBe(3);
    const { count: stale } = await es.count({
      index: `${names.indexPrefix}-*`,
      query: { bool: { must_not: [{ term: { 'cairn.compliance.version': totals.version } }] } },
    });
    expect(stale).toBe(0);

    const again = await runUntilExit('cli', env, 60_000, ['retag']);
    expect(JSON.parse(again.stdout)).toMatchObject({ stale: 0, scanned: 0, changed: 0 });
  } finally {
    await es.close();
  }
});
