import type { AuditEventDocument } from '@cairn/event-schema';

/** The first client address (the request's origin; later ones are proxies on the way). */
export function clientAddress(document: AuditEventDocument): string | undefined {
  return document.source?.ip?.[0];
}

export function epochMillis(document: AuditEventDocument): number {
  return Date.parse(document['@timestamp']);
}

/** The namespace an event concerns, whichever source named it. */
export function namespaceOf(document: AuditEventDocument): string | undefined {
  return document.orchestrator?.namespace ?? document.kubernetes?.namespace;
}

/** What was acted on, as one readable reference: `pods/web`, an image, a repository. */
export function resourceOf(document: AuditEventDocument): string | undefined {
  const resource = document.orchestrator?.resource;
  if (resource?.type) return resource.name ? `${resource.type}/${resource.name}` : resource.type;
  if (document.registry?.repository) {
    const { repository, tag, digest } = document.registry;
    return `${repository}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  }
  const container = document.container;
  if (container?.name || container?.id) return container.name ?? container.id;
  if (container?.image?.name) {
    const { name, tag } = container.image;
    return tag ? `${name}:${tag}` : name;
  }
  return document.network?.name ?? document.volume?.name;
}

export function controlsOf(document: AuditEventDocument): readonly string[] {
  return document.cairn.compliance?.controls ?? [];
}

/** The one-line summary, or the action when the source gave none. */
export function summaryOf(document: AuditEventDocument): string {
  return document.message ?? document.event.action;
}
