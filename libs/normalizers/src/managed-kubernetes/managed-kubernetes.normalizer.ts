import { CairnEventError, type AuditEventDocument } from '@cairn/event-schema';
import { isRecord, SourceFields, type Json } from '../common/fields';
import { parseEmbeddedJson } from '../decode-raw-event';
import { KubernetesAuditNormalizer } from '../kubernetes-audit/kubernetes-audit.normalizer';
import type { NormalizeContext, SourceNormalizer } from '../source-normalizer';
import { isGkeAuditEntry, normalizeGkeAuditEntry } from './gke-audit-entry';

const eks = new SourceFields('EKS CloudWatch Logs record');
const aks = new SourceFields('AKS diagnostic record');

/** EKS names its control-plane log group after the cluster. */
const EKS_LOG_GROUP = /^\/aws\/eks\/([^/]+)\/cluster$/;
const EKS_AUDIT_STREAM = /^kube-apiserver-audit-/;
const AKS_AUDIT_CATEGORIES = new Set(['kube-audit', 'kube-audit-admin']);
/** …/providers/Microsoft.ContainerService/managedClusters/<name>, in whatever case Azure chose. */
const AKS_CLUSTER = /\/providers\/microsoft\.containerservice\/managedclusters\/([^/]+)/i;

/**
 * Kubernetes audit events as managed clusters export them, where the API server's webhook flags
 * are out of reach: EKS through CloudWatch Logs subscriptions (also via Firehose), AKS through
 * diagnostic settings (Event Hubs or storage), GKE through Cloud Logging. The cluster is taken
 * from the envelope. EKS and AKS carry the API server's own audit Event, normalized as the
 * webhook's would be (the same id: one event, whichever way it came, is one identity); GKE
 * rewrites it into a Cloud Audit Logs entry (gke-audit-entry).
 */
export class ManagedKubernetesNormalizer implements SourceNormalizer {
  readonly product = 'kubernetes' as const;
  readonly sourceKind = 'ORCHESTRATOR' as const;
  private readonly audit = new KubernetesAuditNormalizer();

  canHandle(raw: unknown): boolean {
    if (!isRecord(raw)) return false;
    const eksEnvelope =
      typeof raw.logGroup === 'string' &&
      EKS_LOG_GROUP.test(raw.logGroup) &&
      typeof raw.messageType === 'string';
    const aksEnvelope =
      Array.isArray(raw.records) &&
      raw.records.length > 0 &&
      raw.records.every((record) => isRecord(record) && typeof record.category === 'string');
    return eksEnvelope || aksEnvelope || isGkeAuditEntry(raw);
  }

  normalize(raw: unknown, context: NormalizeContext): AuditEventDocument[] {
    const envelope = raw as Json;
    if (isGkeAuditEntry(envelope)) return [normalizeGkeAuditEntry(envelope, context)];
    if (Array.isArray(envelope.records)) return this.aksRecords(envelope.records as Json[], context);
    return this.eksRecord(envelope, context);
  }

  private eksRecord(envelope: Json, context: NormalizeContext): AuditEventDocument[] {
    const messageType = eks.requiredString(envelope, 'messageType');
    // CloudWatch's reachability check of the destination: no events in it.
    if (messageType === 'CONTROL_MESSAGE') return [];
    if (messageType !== 'DATA_MESSAGE')
      throw eks.invalid(
        `messageType ${JSON.stringify(messageType)} is neither DATA_MESSAGE nor CONTROL_MESSAGE`,
      );
    const cluster = EKS_LOG_GROUP.exec(eks.requiredString(envelope, 'logGroup'))![1];
    const stream = eks.requiredString(envelope, 'logStream');
    if (!EKS_AUDIT_STREAM.test(stream)) {
      throw eks.invalid(
        `log stream ${stream} is not the API server's audit log (kube-apiserver-audit-*): ` +
          'give the subscription filter the pattern { $.kind = "Event" }',
      );
    }
    const events = envelope.logEvents;
    if (!Array.isArray(events)) throw eks.invalid('logEvents must be an array');
    return events.map((entry, index) => {
      const path = `logEvents[${index}]`;
      if (!isRecord(entry)) throw eks.invalid(`${path} must be an object`);
      const text = eks.requiredString(entry, 'message', `${path}.message`);
      const event = parseEmbeddedJson(text, `${path}.message`, context.maxDepth);
      return this.inCluster(eks, event, text, cluster, context, path);
    });
  }

  private aksRecords(records: Json[], context: NormalizeContext): AuditEventDocument[] {
    const others = [...new Set(records.map((r) => r.category as string))].filter(
      (category) => !AKS_AUDIT_CATEGORIES.has(category),
    );
    if (others.length > 0) {
      throw aks.invalid(
        `categories ${others.join(', ')} are not audit logs: send only kube-audit or kube-audit-admin ` +
          'to the hub (or storage) Cairn reads',
      );
    }
    return records.map((record, index) => {
      const path = `records[${index}]`;
      const resourceId = aks.requiredString(record, 'resourceId', `${path}.resourceId`);
      // Azure upper-cases resource ids in these records; its names are case-insensitive.
      const cluster = AKS_CLUSTER.exec(resourceId)?.[1]?.toLowerCase();
      if (!cluster) throw aks.invalid(`${path}.resourceId does not name a managed cluster`);
      const properties = aks.object(record, 'properties', `${path}.properties`) ?? {};
      const log = properties.log;
      // Event Hubs deliver the event as a JSON string, some exports as the object itself.
      if (typeof log === 'string') {
        const event = parseEmbeddedJson(log, `${path}.properties.log`, context.maxDepth);
        return this.inCluster(aks, event, log, cluster, context, path);
      }
      if (isRecord(log)) return this.inCluster(aks, log, JSON.stringify(log), cluster, context, path);
      throw aks.invalid(`${path}.properties.log must hold the audit event`);
    });
  }

  private inCluster(
    fields: SourceFields,
    event: Json,
    text: string,
    cluster: string,
    context: NormalizeContext,
    path: string,
  ): AuditEventDocument {
    if (!this.audit.canHandle(event) || event.kind !== 'Event')
      throw fields.invalid(`${path} does not hold a Kubernetes audit Event`);
    let document: AuditEventDocument;
    try {
      document = this.audit.normalizeAuditEvent(event, text, context.receivedAt);
    } catch (error) {
      // Which record of the batch it was, ahead of what was wrong in it.
      if (error instanceof CairnEventError)
        throw new CairnEventError(error.code, fields.invalid(`${path}: ${error.message}`).message);
      throw error;
    }
    return { ...document, orchestrator: { ...document.orchestrator, cluster: { name: cluster } } };
  }
}
