import type { AuditEventDocument, Product } from '@cairn/event-schema';
import { clientAddress, controlsOf, namespaceOf } from '../common/event-view';

type Json = Record<string, unknown>;

/** Drops absent values, so an OCSF object holds only what the event knew. */
export function compact<T extends Json>(object: T): Partial<T> {
  // A loop, not entries/filter/fromEntries: it runs a dozen times per event (bench:feed).
  const kept: Json = {};
  for (const key in object) {
    const value = object[key];
    if (value !== undefined) kept[key] = value;
  }
  return kept as Partial<T>;
}

const PRODUCT: Readonly<Record<Product, { name: string; vendor_name: string }>> = {
  kubernetes: { name: 'Kubernetes', vendor_name: 'Kubernetes' },
  docker: { name: 'Docker Engine', vendor_name: 'Docker' },
  containerd: { name: 'containerd', vendor_name: 'containerd' },
  falco: { name: 'Falco', vendor_name: 'Falco' },
  distribution: { name: 'Distribution', vendor_name: 'CNCF Distribution' },
  harbor: { name: 'Harbor', vendor_name: 'Harbor' },
  opa: { name: 'Open Policy Agent', vendor_name: 'Open Policy Agent' },
  cairn: { name: 'Cairn', vendor_name: 'Cairn' },
};

const millis = (text: string | undefined) => (text === undefined ? undefined : Date.parse(text));

/**
 * metadata: uid is Cairn's event id; the product is the source that recorded the event, Cairn the
 * log provider; the compliance controls the event evidences are `metadata.labels`
 * (`FRAMEWORK:control`), where OCSF puts labels attached to the event.
 */
export function metadataOf(document: AuditEventDocument, profiles: readonly string[]): Json {
  const controls = controlsOf(document);
  return compact({
    uid: document.event.id,
    version: '1.8.0',
    product: PRODUCT[document.cairn.product],
    log_provider: 'Cairn',
    log_name: document.cairn.product,
    original_event_uid: document.kubernetes?.audit_id ?? document.http?.request?.id,
    logged_time: millis(document.event.ingested),
    original_time: document.event.created,
    labels: controls.length > 0 ? [...controls] : undefined,
    profiles: profiles.length > 0 ? [...profiles] : undefined,
  });
}

export function userOf(document: AuditEventDocument): Json | undefined {
  const user = document.user;
  if (!user?.name && !user?.id) return undefined;
  return compact({
    name: user.name,
    uid: user.id,
    groups: user.group?.name?.map((name) => ({ name })),
  });
}

/** actor needs a user, a process or an application: the source itself when nobody is named. */
export function actorOf(document: AuditEventDocument): Json {
  const user = userOf(document);
  if (user) return { user };
  return { app_name: PRODUCT[document.cairn.product].name };
}

export function sourceEndpointOf(document: AuditEventDocument): Json | undefined {
  const ip = clientAddress(document);
  if (ip === undefined) return undefined;
  const via = document.source?.ip?.slice(1);
  return compact({ ip, intermediate_ips: via && via.length > 0 ? via : undefined });
}

/** The host an event happened on; OCSF's device needs a type, which Cairn does not know. */
export function deviceOf(document: AuditEventDocument): Json {
  const name = document.host?.name;
  return name
    ? { hostname: name, type_id: 0, type: 'Unknown' }
    : { name: 'unknown', type_id: 0, type: 'Unknown' };
}

export function containerOf(document: AuditEventDocument): Json | undefined {
  const container = document.container;
  if (!container?.id && !container?.name) return undefined;
  const digest = container.image?.hash?.all?.[0];
  return compact({
    uid: container.id,
    name: container.name,
    runtime: container.runtime,
    // OCSF's image needs its id: only a digest identifies an image; a name and tag do not.
    image: digest
      ? compact({ uid: digest, name: container.image?.name, tag: container.image?.tag })
      : undefined,
    orchestrator: document.kubernetes?.pod ? 'kubernetes' : undefined,
    pod_uuid: document.kubernetes?.pod?.uid,
  });
}

/** With the container profile, the process says which container it ran in. */
export function processOf(document: AuditEventDocument, inContainer = false): Json | undefined {
  const process = document.process;
  if (!process) return undefined;
  return compact({
    container: inContainer ? containerOf(document) : undefined,
    pid: process.pid,
    uid: process.exec_id,
    name: process.name,
    cmd_line: process.command_line,
    path: process.executable,
    user: process.user?.name ? { name: process.user.name } : undefined,
  });
}

/** What the event acted on, as OCSF resources (a Kubernetes object, a repository, a container). */
export function resourcesOf(document: AuditEventDocument): Json[] | undefined {
  const resource = document.orchestrator?.resource;
  // A resource needs its name or uid: a list of a whole kind names neither, and is told by api.operation.
  if (resource?.type && !resource.name && !resource.id) return undefined;
  if (resource?.type) {
    return [
      compact({
        type: resource.type,
        name: resource.name,
        uid: resource.id,
        namespace: namespaceOf(document),
      }),
    ];
  }
  const registry = document.registry;
  if (registry?.repository) {
    const version = registry.tag ?? registry.digest;
    return [compact({ type: 'repository', name: registry.repository, uid: registry.digest, version })];
  }
  const container = document.container;
  if (container?.id || container?.name) {
    return [
      compact({
        type: 'container',
        name: container.name,
        uid: container.id,
        namespace: namespaceOf(document),
      }),
    ];
  }
  for (const [type, name] of [
    ['network', document.network?.name],
    ['volume', document.volume?.name],
    ['image', document.container?.image?.name],
  ] as const) {
    if (name) return [{ type, name }];
  }
  return undefined;
}

/** What OCSF has no attribute for: kept under `unmapped`, in ECS names. */
export function unmappedOf(document: AuditEventDocument, extra: Json = {}): Json | undefined {
  const image = document.container?.image;
  const unmapped = compact({
    'cairn.source_kind': document.cairn.source_kind,
    'cairn.compliance.version': document.cairn.compliance?.version,
    'container.image.name': image?.name,
    'container.image.tag': image?.tag,
    'kubernetes.pod.name': document.kubernetes?.pod?.name,
    'kubernetes.namespace': document.kubernetes?.namespace,
    'orchestrator.cluster.name': document.orchestrator?.cluster?.name,
    'orchestrator.resource.type': document.orchestrator?.resource?.type,
    // OCSF's parent process needs a pid, which the sources do not give.
    'process.parent.name': document.process?.parent?.name,
    ...extra,
  });
  return Object.keys(unmapped).length > 0 ? unmapped : undefined;
}
