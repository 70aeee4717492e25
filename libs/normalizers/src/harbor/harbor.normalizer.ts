import {
  deterministicEventId,
  originalParts,
  type AuditEventDocument,
  type Outcome,
} from '@cairn/event-schema';
import { isRecord, SourceFields, type Json } from '../common/fields';
import { imageFields } from '../common/image-reference';
import { cairnFields } from '../common/cairn-fields';
import { compact } from '../compact';
import type { NormalizeContext, SourceNormalizer } from '../source-normalizer';
import { scanFields } from './scan-overview';

const fields = new SourceFields('harbor webhook');

interface HarborType {
  readonly action: string;
  readonly registryAction: string;
  readonly type: string;
  readonly outcome?: Outcome;
}

/** Harbor's event types (default format) in Cairn's vocabulary. */
const TYPES: Readonly<Record<string, HarborType>> = {
  PUSH_ARTIFACT: { action: 'image.push', registryAction: 'push', type: 'creation' },
  PULL_ARTIFACT: { action: 'image.pull', registryAction: 'pull', type: 'access' },
  DELETE_ARTIFACT: { action: 'image.delete', registryAction: 'delete', type: 'deletion' },
  DELETE_REPOSITORY: { action: 'repository.delete', registryAction: 'delete', type: 'deletion' },
  CREATE_TAG: { action: 'tag.create', registryAction: 'tag', type: 'creation' },
  DELETE_TAG: { action: 'tag.delete', registryAction: 'untag', type: 'deletion' },
  SCANNING_COMPLETED: { action: 'artifact.scan', registryAction: 'scan', type: 'info', outcome: 'success' },
  SCANNING_FAILED: { action: 'artifact.scan', registryAction: 'scan', type: 'info', outcome: 'failure' },
  SCANNING_STOPPED: { action: 'artifact.scan', registryAction: 'scan', type: 'info', outcome: 'unknown' },
  QUOTA_WARNING: { action: 'quota.warning', registryAction: 'quota', type: 'info' },
  QUOTA_EXCEED: { action: 'quota.exceed', registryAction: 'quota', type: 'denied', outcome: 'failure' },
  REPLICATION: { action: 'replication.run', registryAction: 'replicate', type: 'change' },
  TAG_RETENTION: { action: 'tag_retention.run', registryAction: 'retention', type: 'deletion' },
};

/** CloudEvents `type` values Harbor sends, to the default format's names. */
const CLOUD_EVENT_TYPES: Readonly<Record<string, string>> = {
  'harbor.artifact.pushed': 'PUSH_ARTIFACT',
  'harbor.artifact.pulled': 'PULL_ARTIFACT',
  'harbor.artifact.deleted': 'DELETE_ARTIFACT',
  'harbor.repository.deleted': 'DELETE_REPOSITORY',
  'harbor.tag.created': 'CREATE_TAG',
  'harbor.tag.deleted': 'DELETE_TAG',
  'harbor.scan.completed': 'SCANNING_COMPLETED',
  'harbor.scan.failed': 'SCANNING_FAILED',
  'harbor.scan.stopped': 'SCANNING_STOPPED',
  'harbor.quota.warned': 'QUOTA_WARNING',
  'harbor.quota.exceeded': 'QUOTA_EXCEED',
  'harbor.quota.exceed': 'QUOTA_EXCEED',
  'harbor.replication.status.changed': 'REPLICATION',
  'harbor.tag_retention.finished': 'TAG_RETENTION',
};

interface Envelope {
  readonly type: string;
  readonly timestamp: string;
  readonly operator?: string;
  readonly data: Json;
  /** CloudEvents carry an id of their own; the default format does not. */
  readonly cloudEventId?: string;
}

function hostOf(url: string | undefined): string | undefined {
  return url?.split('/')[0] || undefined;
}

function outcomeOfStatus(status: string | undefined): Outcome {
  if (!status) return 'unknown';
  return /^(success|succeed|succeeded|finished)$/i.test(status)
    ? 'success'
    : /fail|error/i.test(status)
      ? 'failure'
      : 'unknown';
}

/** Harbor webhook notifications, in the default format and in the CloudEvents format. */
export class HarborNormalizer implements SourceNormalizer {
  readonly product = 'harbor' as const;
  readonly sourceKind = 'REGISTRY' as const;

  canHandle(raw: unknown): boolean {
    if (!isRecord(raw)) return false;
    if (typeof raw.type === 'string' && raw.type in TYPES && 'event_data' in raw) return true;
    return (
      typeof raw.specversion === 'string' && typeof raw.type === 'string' && raw.type.startsWith('harbor.')
    );
  }

  normalize(raw: unknown, context: NormalizeContext): AuditEventDocument[] {
    const envelope = this.envelope(raw as Json);
    const known = TYPES[envelope.type];
    const resources = Array.isArray(envelope.data.resources) ? envelope.data.resources.filter(isRecord) : [];
    const repository = fields.object(envelope.data, 'repository', 'event_data.repository') ?? {};
    const original = originalParts(context.rawText);
    const targets = resources.length > 0 ? resources : [{}];
    return targets.map((resource, index) =>
      this.document(
        envelope,
        known,
        resource,
        repository,
        targets.length > 1 ? index : undefined,
        original,
        context,
      ),
    );
  }

  private envelope(raw: Json): Envelope {
    if (typeof raw.specversion === 'string') {
      const cloudType = fields.requiredString(raw, 'type');
      const type = CLOUD_EVENT_TYPES[cloudType];
      if (!type) throw fields.invalid(`CloudEvents type "${cloudType}" is not a Harbor event type`);
      return {
        type,
        timestamp: fields.timestamp(fields.requiredString(raw, 'time'), 'time')!,
        operator: fields.string(raw, 'operator'),
        data: fields.object(raw, 'data') ?? {},
        cloudEventId: fields.requiredString(raw, 'id'),
      };
    }
    const type = fields.requiredString(raw, 'type');
    // Harbor sends seconds; relays that convert to milliseconds are tolerated.
    const timestamp = fields.epoch(fields.number(raw, 'occur_at'), 'occur_at');
    if (!timestamp) throw fields.invalid('occur_at is missing');
    return {
      type,
      timestamp,
      operator: fields.string(raw, 'operator'),
      data: fields.object(raw, 'event_data') ?? {},
    };
  }

  private document(
    envelope: Envelope,
    known: HarborType,
    resource: Json,
    repository: Json,
    index: number | undefined,
    original: ReturnType<typeof originalParts>,
    context: NormalizeContext,
  ): AuditEventDocument {
    const digest = fields.string(resource, 'digest', 'resources[].digest');
    const rawTag = fields.string(resource, 'tag', 'resources[].tag');
    // Pulled by digest, Harbor repeats the digest as the tag.
    const tag = rawTag && !rawTag.includes(':') ? rawTag : undefined;
    const url = fields.string(resource, 'resource_url', 'resources[].resource_url');
    const replication = fields.object(envelope.data, 'replication', 'event_data.replication');
    const retention = fields.object(envelope.data, 'retention', 'event_data.retention');
    const fullName = fields.string(repository, 'repo_full_name', 'repository.repo_full_name');
    const project =
      fields.string(repository, 'namespace', 'repository.namespace') ??
      (retention ? fields.string(retention, 'project_name', 'retention.project_name') : undefined);
    const scan = scanFields(fields.object(resource, 'scan_overview', 'resources[].scan_overview'));
    const custom = fields.object(envelope.data, 'custom_attributes', 'event_data.custom_attributes') ?? {};
    const status =
      (replication && fields.string(replication, 'job_status', 'replication.job_status')) ??
      (retention && fields.string(retention, 'result', 'retention.result'));
    const outcome = known.outcome ?? (status ? outcomeOfStatus(status) : 'success');
    const identity = envelope.cloudEventId
      ? [envelope.cloudEventId, String(index ?? 0)]
      : [
          envelope.type,
          envelope.timestamp,
          digest ?? tag ?? fullName ?? '',
          envelope.operator ?? '',
          String(index ?? 0),
        ];
    const details = typeof custom.Details === 'string' ? custom.Details : undefined;
    const job = replication ?? retention;
    const host =
      hostOf(url) ??
      (job ? fields.string(job, 'harbor_hostname', 'event_data.*.harbor_hostname') : undefined);
    const image =
      host && fullName
        ? imageFields(`${host}/${fullName}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`)
        : undefined;

    return compact<AuditEventDocument>({
      '@timestamp': envelope.timestamp,
      message:
        `${envelope.operator ?? 'harbor'} ${known.action} ${fullName ?? ''}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`.trim(),
      event: {
        id: deterministicEventId(this.product, identity),
        kind: 'event',
        category: [known.registryAction === 'scan' ? 'vulnerability' : 'package'],
        type: [known.type],
        action: known.action,
        outcome,
        reason: status ?? details,
        original: original.original,
        ingested: context.receivedAt.toISOString(),
      },
      user: { name: envelope.operator },
      url: { original: url },
      registry: {
        name: host,
        action: known.registryAction,
        repository: fullName,
        project,
        tag,
        digest,
        artifact_kind: digest ? 'manifest' : undefined,
        scan,
        quota: { message: details },
      },
      container: { image },
      cairn: cairnFields(this, original),
    });
  }
}
