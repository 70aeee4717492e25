import type { AuditEventDocument } from '@cairn/event-schema';

/** An OCSF 1.8.0 class as Cairn uses it: its category, its uid, and the activities it names. */
export interface OcsfClass {
  readonly categoryUid: number;
  readonly categoryName: string;
  readonly uid: number;
  readonly name: string;
  readonly activities: Readonly<Record<number, string>>;
}

const OTHER = { 0: 'Unknown', 99: 'Other' } as const;

export const API_ACTIVITY: OcsfClass = {
  categoryUid: 6,
  categoryName: 'Application Activity',
  uid: 6003,
  name: 'API Activity',
  activities: { ...OTHER, 1: 'Create', 2: 'Read', 3: 'Update', 4: 'Delete' },
};

export const APPLICATION_LIFECYCLE: OcsfClass = {
  categoryUid: 6,
  categoryName: 'Application Activity',
  uid: 6002,
  name: 'Application Lifecycle',
  activities: { ...OTHER, 1: 'Install', 2: 'Remove', 3: 'Start', 4: 'Stop', 5: 'Restart' },
};

export const PROCESS_ACTIVITY: OcsfClass = {
  categoryUid: 1,
  categoryName: 'System Activity',
  uid: 1007,
  name: 'Process Activity',
  activities: { ...OTHER, 1: 'Launch', 2: 'Terminate' },
};

export const EVENT_LOG_ACTIVITY: OcsfClass = {
  categoryUid: 1,
  categoryName: 'System Activity',
  uid: 1008,
  name: 'Event Log Activity',
  activities: { ...OTHER, 2: 'Delete', 6: 'Start', 7: 'Stop' },
};

export const DETECTION_FINDING: OcsfClass = {
  categoryUid: 2,
  categoryName: 'Findings',
  uid: 2004,
  name: 'Detection Finding',
  activities: { ...OTHER, 1: 'Create' },
};

export const VULNERABILITY_FINDING: OcsfClass = {
  categoryUid: 2,
  categoryName: 'Findings',
  uid: 2002,
  name: 'Vulnerability Finding',
  activities: { ...OTHER, 1: 'Create' },
};

export type ClassKind = 'api' | 'lifecycle' | 'process' | 'event-log' | 'detection' | 'vulnerability';

export const CLASSES: Readonly<Record<ClassKind, OcsfClass>> = {
  api: API_ACTIVITY,
  lifecycle: APPLICATION_LIFECYCLE,
  process: PROCESS_ACTIVITY,
  'event-log': EVENT_LOG_ACTIVITY,
  detection: DETECTION_FINDING,
  vulnerability: VULNERABILITY_FINDING,
};

const LIFECYCLE_ACTIVITY: Readonly<Record<string, number>> = {
  create: 1,
  destroy: 2,
  remove: 2,
  start: 3,
  unpause: 3,
  die: 4,
  stop: 4,
  kill: 4,
  oom: 4,
  pause: 4,
  restart: 5,
};

const API_VERB: Readonly<Record<string, number>> = {
  create: 1,
  push: 1,
  get: 2,
  list: 2,
  watch: 2,
  pull: 2,
  update: 3,
  patch: 3,
  delete: 4,
  deletecollection: 4,
};

const API_TYPE: Readonly<Record<string, number>> = { creation: 1, access: 2, change: 3, deletion: 4 };

/**
 * Which class an event becomes, first rule that matches wins: alerts are Detection Findings, a
 * completed scan with findings a Vulnerability Finding, a process started in a running container
 * (the runtime's exec record, which names the process) Process Activity, a container's start and
 * stop Application Lifecycle, Cairn's retention deleting whole months Event Log Activity, and every
 * request to an API (Kubernetes, a registry, the runtime's own API, Cairn's) API Activity. A
 * Kubernetes pods/exec is the API server's record of who asked; it names no process (OCSF's
 * process needs a pid or uid), so it stays API Activity, and the runtime's record of the same exec
 * is the Process Activity.
 */
export function classify(document: AuditEventDocument): { kind: ClassKind; activity: number } {
  const { action, kind } = document.event;
  if (kind === 'alert') return { kind: 'detection', activity: 1 };
  if (action === 'artifact.scan' && (document.registry?.scan?.total ?? 0) > 0) {
    return { kind: 'vulnerability', activity: 1 };
  }
  if (action === 'container.exec' && (document.process?.exec_id || document.process?.pid)) {
    return { kind: 'process', activity: 1 };
  }
  if (action === 'container.exec_die' && (document.process?.exec_id || document.process?.pid)) {
    return { kind: 'process', activity: 2 };
  }
  if (action === 'cairn.retention') return { kind: 'event-log', activity: 2 };
  const [object, verb] = splitAction(action);
  if (object === 'container' && LIFECYCLE_ACTIVITY[verb] !== undefined) {
    return { kind: 'lifecycle', activity: LIFECYCLE_ACTIVITY[verb] };
  }
  const verbActivity = API_VERB[document.kubernetes?.verb ?? document.registry?.action ?? verb];
  const typeActivity = document.event.type?.map((type) => API_TYPE[type]).find((id) => id !== undefined);
  return { kind: 'api', activity: verbActivity ?? typeActivity ?? 99 };
}

function splitAction(action: string): [string, string] {
  const dot = action.lastIndexOf('.');
  return dot < 0 ? [action, ''] : [action.slice(0, dot), action.slice(dot + 1)];
}
