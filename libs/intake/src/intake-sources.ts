import type { DeliveryEnvelope } from './delivery-envelopes';

/** Which raw topic an intake source writes to (the names ingest's settings give them). */
export type RawTopicRole = 'orchestrator' | 'runtime' | 'registry';

/** What a credential binds its sender to: the cluster or the registry its events are about. */
export type SenderBinding = 'cluster' | 'registry';

export interface IntakeSource {
  /** The path segment: POST /intake/v1/<name>. */
  readonly name: IntakeSourceName;
  readonly topic: RawTopicRole;
  readonly binding: SenderBinding;
  /** Media types (without parameters) the sender really sends; others are refused with 415. */
  readonly mediaTypes: readonly string[];
  /** Harbor's CloudEvents binary mode: attributes in ce-* headers, the body is the data. */
  readonly cloudEventsBinary: boolean;
  readonly sentBy: string;
  /** A cloud delivery service's wrapper, unwrapped into one raw message per payload. */
  readonly envelope?: DeliveryEnvelope;
  /** A header some senders can only put their credential in (Firehose's access key). */
  readonly tokenHeader?: string;
  /** Pub/Sub push can authenticate only by a Google-signed token or the URL: `?token=` is read too. */
  readonly queryToken?: boolean;
  /** The status a sender counts as success (Firehose: 200 only). */
  readonly acceptedStatus: 200 | 202;
}

export const INTAKE_SOURCE_NAMES = [
  'kubernetes-audit',
  'distribution',
  'harbor',
  'falco',
  'opa',
  'eks-firehose',
  'gke-pubsub',
] as const;
export type IntakeSourceName = (typeof INTAKE_SOURCE_NAMES)[number];

const JSON_TYPE = 'application/json';

/** The endpoints, as data: one route each, and what each accepts. */
export const INTAKE_SOURCES: Readonly<Record<IntakeSourceName, IntakeSource>> = {
  'kubernetes-audit': {
    name: 'kubernetes-audit',
    topic: 'orchestrator',
    binding: 'cluster',
    mediaTypes: [JSON_TYPE],
    cloudEventsBinary: false,
    acceptedStatus: 202,
    sentBy: "the API server's audit webhook backend (an audit.k8s.io EventList per batch)",
  },
  distribution: {
    name: 'distribution',
    topic: 'registry',
    binding: 'registry',
    // Distribution 2.8 really sends events.v1+json (its documentation says v2); both are taken.
    mediaTypes: [
      'application/vnd.docker.distribution.events.v1+json',
      'application/vnd.docker.distribution.events.v2+json',
      JSON_TYPE,
    ],
    cloudEventsBinary: false,
    acceptedStatus: 202,
    sentBy: "Docker Distribution's notification endpoints (an envelope of events)",
  },
  harbor: {
    name: 'harbor',
    topic: 'registry',
    binding: 'registry',
    mediaTypes: [JSON_TYPE, 'application/cloudevents+json'],
    cloudEventsBinary: true,
    acceptedStatus: 202,
    sentBy: "Harbor's webhooks, Default or CloudEvents payloads",
  },
  falco: {
    name: 'falco',
    topic: 'runtime',
    binding: 'cluster',
    mediaTypes: [JSON_TYPE],
    cloudEventsBinary: false,
    acceptedStatus: 202,
    sentBy: "Falco's http_output (json_output) and falcosidekick's webhook output",
  },
  opa: {
    name: 'opa',
    topic: 'orchestrator',
    binding: 'cluster',
    mediaTypes: [JSON_TYPE],
    cloudEventsBinary: false,
    acceptedStatus: 202,
    sentBy: "OPA's decision log uploads (gzip JSON arrays)",
  },
  'eks-firehose': {
    name: 'eks-firehose',
    topic: 'orchestrator',
    binding: 'cluster',
    mediaTypes: [JSON_TYPE],
    cloudEventsBinary: false,
    acceptedStatus: 200,
    envelope: 'firehose',
    tokenHeader: 'x-amz-firehose-access-key',
    sentBy: "Amazon Data Firehose's HTTP endpoint delivery of an EKS cluster's CloudWatch Logs subscription",
  },
  'gke-pubsub': {
    name: 'gke-pubsub',
    topic: 'orchestrator',
    binding: 'cluster',
    mediaTypes: [JSON_TYPE],
    cloudEventsBinary: false,
    acceptedStatus: 202,
    envelope: 'pubsub',
    queryToken: true,
    sentBy: "a Cloud Pub/Sub push subscription on a GKE cluster's audit log sink",
  },
};

export function isIntakeSourceName(name: string): name is IntakeSourceName {
  return (INTAKE_SOURCE_NAMES as readonly string[]).includes(name);
}
