/**
 * Every question the console asks the API. The fields a role may not read are left out of the
 * question rather than refused in the answer (the viewer query says which they are).
 */
export const EVENT_ROW = `fragment EventRow on AuditEvent {
  id timestamp product sourceKind action outcome severity message
  actor { name }
  container { id name }
  pod { name namespace }
  image { repository tag }
  kubernetes { resource name }
  rule { name priority }
}`;

export const VIEWER = `query Viewer { viewer { name role mayRead mayFilter } }`;

export const SEARCH = `query Search($filter: EventFilter, $first: Int!, $after: String) {
  events(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { endCursor hasNextPage }
    edges { node { ...EventRow } }
  }
}
${EVENT_ROW}`;

export const TIMELINE = `query Timeline($containerId: String, $pod: String, $namespace: String, $after: String) {
  containerTimeline(containerId: $containerId, pod: $pod, namespace: $namespace, first: 200, after: $after) {
    totalCount
    pageInfo { endCursor hasNextPage }
    edges { node { ...EventRow } }
  }
}
${EVENT_ROW}`;

export const ACTOR = `query Actor($filter: EventFilter!, $interval: String!, $after: String) {
  eventHistogram(filter: $filter, interval: $interval) { start count }
  actions: eventStats(field: ACTION, filter: $filter, size: 10) { key count }
  events(filter: $filter, first: 100, after: $after) {
    totalCount
    pageInfo { endCursor hasNextPage }
    edges { node { ...EventRow } }
  }
}
${EVENT_ROW}`;

export const ACTOR_REFUSED = `query ActorRefused($filter: EventFilter!, $interval: String!) {
  eventHistogram(filter: $filter, interval: $interval) { start count }
  events(filter: $filter, first: 1) { totalCount }
}`;

export const COMPLIANCE = `query Compliance($framework: Framework!, $from: DateTime!, $to: DateTime!) {
  complianceReport(framework: $framework, from: $from, to: $to) {
    framework from to catalogVersion silenceResolutionMinutes
    controls { id title status evidenceCount firstSeen lastSeen findings }
    silenceGaps { product cluster from to minutes }
    retention { met requiredDays coveredDays oldestEvent }
  }
}`;

export const EVIDENCE = `query Evidence($framework: Framework!, $control: String!, $from: DateTime, $to: DateTime, $after: String) {
  complianceEvidence(framework: $framework, control: $control, from: $from, to: $to, first: 50, after: $after) {
    totalCount
    pageInfo { endCursor hasNextPage }
    edges { node { ...EventRow } }
  }
}
${EVENT_ROW}`;

export const INTEGRITY = `query Integrity($from: DateTime, $to: DateTime) {
  integrityReport(from: $from, to: $to) {
    ok eventsVerified verifiedAt truncated
    chains { chain verified pending checkpoints lastCheckpointAt closed }
    findings { kind chain message seqFrom seqTo }
  }
}`;

/** The detail of one event: everything the role may read, the original only where it may. */
export function eventDetailQuery(mayRead: readonly string[]): string {
  const original = mayRead.includes('AuditEvent.original') ? 'original' : '';
  const sourceIps = mayRead.includes('Actor.sourceIps') ? 'sourceIps' : '';
  return `query EventDetail($id: ID!) {
  event(id: $id) {
    id timestamp ingestedAt product sourceKind action outcome reason severity message host
    category type tags ${original}
    actor { name id groups impersonatedBy userAgent ${sourceIps} }
    container { id shortId name runtime exitCode }
    pod { name namespace uid container }
    image { registry repository tag digest }
    process { name executable commandLine user pid parentName }
    kubernetes { cluster verb resource subresource name namespace apiGroup responseCode decision reason stage auditId }
    registry { action repository tag digest mediaType artifactKind }
    rule { name priority ruleset tags }
    compliance { framework control }
  }
}`;
}
