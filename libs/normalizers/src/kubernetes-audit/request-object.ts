import type { AuditEventDocument } from '@cairn/event-schema';
import { isRecord, type Json } from '../common/fields';

/**
 * What an investigator or a compliance rule needs from a request body, pulled into fields; the
 * body itself stays in event.original. Lenient by design: odd shapes yield nothing, not errors.
 */
export type RequestFacts = NonNullable<NonNullable<AuditEventDocument['kubernetes']>['request']>;

const records = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isRecord) : []);
const child = (value: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), value);

/** The pod spec inside a Pod, a workload template, or a CronJob's job template. */
function podSpecOf(object: Json): Json | undefined {
  const candidates = [
    child(object, 'spec', 'jobTemplate', 'spec', 'template', 'spec'),
    child(object, 'spec', 'template', 'spec'),
    object.kind === 'Pod' ? object.spec : undefined,
  ];
  return candidates.find(isRecord);
}

function podFacts(spec: Json): RequestFacts {
  const containers = [
    ...records(spec.containers),
    ...records(spec.initContainers),
    ...records(spec.ephemeralContainers),
  ];
  const images = containers.map((c) => c.image).filter((image): image is string => typeof image === 'string');
  const privileged = containers.some((c) => child(c, 'securityContext', 'privileged') === true);
  const hostPaths = records(spec.volumes)
    .map((v) => child(v, 'hostPath', 'path'))
    .filter((path): path is string => typeof path === 'string');
  return {
    images: images.length > 0 ? images : undefined,
    privileged: containers.length > 0 ? privileged : undefined,
    host_network: typeof spec.hostNetwork === 'boolean' ? spec.hostNetwork : undefined,
    host_pid: typeof spec.hostPID === 'boolean' ? spec.hostPID : undefined,
    host_ipc: typeof spec.hostIPC === 'boolean' ? spec.hostIPC : undefined,
    host_paths: hostPaths.length > 0 ? hostPaths : undefined,
  };
}

function bindingFacts(object: Json): RequestFacts {
  const roleRef = object.roleRef;
  const role =
    isRecord(roleRef) && typeof roleRef.name === 'string'
      ? `${typeof roleRef.kind === 'string' ? roleRef.kind : 'Role'}/${roleRef.name}`
      : undefined;
  const subjects = records(object.subjects)
    .filter((s) => typeof s.name === 'string')
    .map(
      (s) =>
        `${typeof s.kind === 'string' ? s.kind : 'User'}:${typeof s.namespace === 'string' ? `${s.namespace}/` : ''}${String(s.name)}`,
    );
  return { role_ref: role, subjects: subjects.length > 0 ? subjects : undefined };
}

const RULE_LISTS = ['verbs', 'resources', 'apiGroups', 'nonResourceURLs'] as const;

/** Which parts of a Role's rules grant "*": the least-privilege red flag (PCI DSS 7.2.2). */
function roleFacts(object: Json): RequestFacts {
  const wildcards = RULE_LISTS.filter((list) =>
    records(object.rules).some(
      (rule) => Array.isArray(rule[list]) && (rule[list] as unknown[]).includes('*'),
    ),
  );
  return { wildcards: wildcards.length > 0 ? wildcards : undefined };
}

export function requestFacts(requestObject: unknown): RequestFacts | undefined {
  if (!isRecord(requestObject)) return undefined;
  if (requestObject.kind === 'Role' || requestObject.kind === 'ClusterRole') return roleFacts(requestObject);
  if (requestObject.kind === 'RoleBinding' || requestObject.kind === 'ClusterRoleBinding') {
    return bindingFacts(requestObject);
  }
  const spec = podSpecOf(requestObject);
  return spec ? podFacts(spec) : undefined;
}

/** kubectl exec/attach put the container and command in the query string. */
export function execDetails(requestUri: string | undefined): { container?: string; command?: string } {
  const query = requestUri?.split('?')[1];
  if (!query) return {};
  const params = new URLSearchParams(query);
  const command = params.getAll('command');
  return {
    container: params.get('container') ?? undefined,
    command: command.length > 0 ? command.join(' ') : undefined,
  };
}
