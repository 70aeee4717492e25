import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeRawEvent } from '@cairn/normalizers';
import { REPO } from './local-stack';
import type { RawTopic } from './workload';

/**
 * Real-shaped raw events described by the few facts a filter looks at, so a filter test can store
 * events that match and events that differ in exactly one fact, and state the expected result as
 * a predicate over the facts it wrote (not over what Cairn stored).
 */
export interface Facts {
  readonly label: string;
  readonly product: 'docker' | 'falco' | 'distribution' | 'kubernetes';
  readonly timeMs: number;
  readonly pod?: string;
  readonly namespace?: string;
  /** 64 hex characters for Docker, the first 12 for Falco (as each reports it). */
  readonly containerId?: string;
  /** Runtime events: the image the container runs, registry[:port]/path. */
  readonly imageName?: string;
  readonly imageTag?: string;
  /** Runtime events: pulled by digest; registry events: the manifest's digest. */
  readonly digest?: string;
  /** Registry events: the repository path. */
  readonly repository?: string;
  readonly sourceIp?: string;
  readonly actor?: string;
  /** Kubernetes requests: resource type and subresource. */
  readonly resource?: string;
  readonly subresource?: string;
  /** Kubernetes requests: the response code (200 unless given). */
  readonly code?: number;
  /** Docker exec: the command line. */
  readonly command?: string;
}

export interface DiscriminatingEvent {
  readonly facts: Facts;
  readonly topic: RawTopic;
  readonly value: Buffer;
  readonly id: string;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

function dockerEvent(facts: Facts): string {
  const image = `${facts.imageName}:${facts.imageTag}${facts.digest ? `@${facts.digest}` : ''}`;
  const attributes: Record<string, string> = {
    image,
    name: `k8s_app_${facts.pod}_${facts.namespace}_${randomUUID()}_0`,
    'io.kubernetes.pod.name': facts.pod!,
    'io.kubernetes.pod.namespace': facts.namespace!,
  };
  const action = facts.command ? `exec_create: ${facts.command}` : 'start';
  if (facts.command) attributes.execID = randomUUID().replace(/-/g, '');
  return JSON.stringify({
    status: action,
    id: facts.containerId,
    from: image,
    Type: 'container',
    Action: action,
    Actor: { ID: facts.containerId, Attributes: attributes },
    scope: 'local',
    time: seconds(facts.timeMs),
  });
}

function falcoEvent(facts: Facts): string {
  const alert = JSON.parse(
    readFileSync(join(REPO, 'libs/normalizers/src/falco/fixtures/syscall-terminal-shell.json'), 'utf8'),
  ) as { output_fields: Record<string, unknown> } & Record<string, unknown>;
  alert.uuid = randomUUID();
  alert.time = new Date(facts.timeMs).toISOString();
  delete alert.output_fields['evt.time'];
  Object.assign(alert.output_fields, {
    'container.id': facts.containerId,
    'container.image.repository': facts.imageName,
    'container.image.tag': facts.imageTag,
    'k8s.pod.name': facts.pod,
    'k8s.ns.name': facts.namespace,
  });
  alert.output = `A shell was spawned in a container with an attached terminal (container_id=${facts.containerId})`;
  return JSON.stringify(alert);
}

function distributionEvent(facts: Facts): string {
  const host = 'registry.example.com:5000';
  return JSON.stringify({
    events: [
      {
        id: randomUUID(),
        timestamp: new Date(facts.timeMs).toISOString(),
        action: 'pull',
        target: {
          mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
          digest: facts.digest,
          size: 1402,
          repository: facts.repository,
          url: `https://${host}/v2/${facts.repository}/manifests/${facts.imageTag}`,
          tag: facts.imageTag,
        },
        request: {
          id: randomUUID(),
          addr: facts.sourceIp!.includes(':') ? `[${facts.sourceIp}]:40122` : `${facts.sourceIp}:40122`,
          host,
          method: 'GET',
          useragent: 'containerd/v1.7.24',
        },
        actor: {},
        source: { addr: 'registry-1:5000', instanceID: randomUUID() },
      },
    ],
  });
}

function kubernetesEvent(facts: Facts): string {
  const name = facts.pod!;
  const at = new Date(facts.timeMs).toISOString();
  return JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: randomUUID(),
    stage: 'ResponseComplete',
    requestURI: `/api/v1/namespaces/${facts.namespace}/${facts.resource}/${name}${facts.subresource ? `/${facts.subresource}` : ''}`,
    verb: facts.subresource ? 'create' : 'get',
    user: { username: facts.actor, groups: ['system:authenticated'] },
    sourceIPs: [facts.sourceIp],
    userAgent: 'kubectl/v1.31.0',
    objectRef: {
      resource: facts.resource,
      subresource: facts.subresource,
      namespace: facts.namespace,
      name,
      apiVersion: 'v1',
    },
    responseStatus: { metadata: {}, code: facts.code ?? 200 },
    requestReceivedTimestamp: at,
    stageTimestamp: at,
  });
}

const BUILDERS: Record<Facts['product'], { topic: RawTopic; build: (facts: Facts) => string }> = {
  docker: { topic: 'runtime', build: dockerEvent },
  falco: { topic: 'runtime', build: falcoEvent },
  distribution: { topic: 'registry', build: distributionEvent },
  kubernetes: { topic: 'orchestrator', build: kubernetesEvent },
};

/** The raw event for each description, with the one id Cairn must store it under. */
export function discriminatingEvents(all: readonly Facts[]): DiscriminatingEvent[] {
  const events = all.map((facts) => {
    const { topic, build } = BUILDERS[facts.product];
    const value = Buffer.from(build(facts));
    const documents = normalizeRawEvent({ bytes: value, receivedAt: new Date() });
    if (documents.length !== 1) throw new Error(`${facts.label}: ${documents.length} documents, not 1`);
    return { facts, topic, value, id: documents[0].event.id };
  });
  const ids = new Set(events.map((event) => event.id));
  if (ids.size !== events.length) throw new Error('two descriptions make the same event id');
  return events;
}
