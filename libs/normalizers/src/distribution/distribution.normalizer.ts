import { isIP } from 'node:net';
import { deterministicEventId, originalParts, type AuditEventDocument } from '@cairn/event-schema';
import { isRecord, SourceFields, type Json } from '../common/fields';
import { imageFields } from '../common/image-reference';
import { addressWithoutPort, artifactKind } from '../common/registry';
import { cairnFields } from '../common/cairn-fields';
import { compact } from '../compact';
import type { NormalizeContext, SourceNormalizer } from '../source-normalizer';

const fields = new SourceFields('distribution notification');

const ACTIONS = new Set(['push', 'pull', 'delete', 'mount']);
const EVENT_TYPE: Readonly<Record<string, string>> = {
  push: 'creation',
  pull: 'access',
  delete: 'deletion',
  mount: 'creation',
};

/**
 * Docker Distribution (CNCF registry) notifications: an envelope `{events: [...]}`, one message
 * for many events. Manifest and blob events are told apart by media type.
 */
export class DistributionNormalizer implements SourceNormalizer {
  readonly product = 'distribution' as const;
  readonly sourceKind = 'REGISTRY' as const;

  canHandle(raw: unknown): boolean {
    if (!isRecord(raw) || !Array.isArray(raw.events) || raw.events.length === 0) return false;
    const first: unknown = raw.events[0];
    return isRecord(first) && typeof first.action === 'string' && isRecord(first.target);
  }

  normalize(raw: unknown, context: NormalizeContext): AuditEventDocument[] {
    const events = (raw as Json).events as unknown[];
    return events.map((item, index) => {
      if (!isRecord(item)) throw fields.invalid(`events[${index}] is not an object`);
      return this.normalizeEvent(item, index, context);
    });
  }

  private normalizeEvent(event: Json, index: number, context: NormalizeContext): AuditEventDocument {
    const at = `events[${index}]`;
    const id = fields.requiredString(event, 'id', `${at}.id`);
    const verb = fields.requiredString(event, 'action', `${at}.action`);
    if (!ACTIONS.has(verb)) throw fields.invalid(`${at}.action "${verb}" is not push, pull, delete or mount`);
    const timestamp = fields.timestamp(
      fields.requiredString(event, 'timestamp', `${at}.timestamp`),
      `${at}.timestamp`,
    )!;
    const target = fields.object(event, 'target', `${at}.target`) ?? {};
    const request = fields.object(event, 'request', `${at}.request`) ?? {};
    const actor = fields.object(event, 'actor', `${at}.actor`) ?? {};
    const source = fields.object(event, 'source', `${at}.source`) ?? {};
    const repository = fields.string(target, 'repository', `${at}.target.repository`);
    const tag = fields.string(target, 'tag', `${at}.target.tag`);
    const digest = fields.string(target, 'digest', `${at}.target.digest`);
    const mediaType = fields.string(target, 'mediaType', `${at}.target.mediaType`);
    const kind = artifactKind(mediaType);
    const host =
      fields.string(request, 'host', `${at}.request.host`) ??
      fields.string(source, 'addr', `${at}.source.addr`);
    const clientAddress = addressWithoutPort(fields.string(request, 'addr', `${at}.request.addr`));
    const user = fields.string(actor, 'name', `${at}.actor.name`);
    const original = originalParts(JSON.stringify(event));
    const image =
      repository && kind !== 'blob'
        ? imageFields(
            `${host ? `${host}/` : ''}${repository}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`,
          )
        : undefined;

    return compact<AuditEventDocument>({
      '@timestamp': timestamp,
      message: `${user ?? 'anonymous'} ${verb} ${kind ?? 'object'} ${repository ?? ''}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`,
      event: {
        id: deterministicEventId(this.product, [id]),
        kind: 'event',
        category: ['package'],
        type: [EVENT_TYPE[verb]],
        action: `image.${verb}`,
        outcome: 'success',
        original: original.original,
        ingested: context.receivedAt.toISOString(),
      },
      user: { name: user },
      source: { ip: clientAddress && isIP(clientAddress) ? [clientAddress] : undefined },
      user_agent: { original: fields.string(request, 'useragent', `${at}.request.useragent`) },
      url: { original: fields.string(target, 'url', `${at}.target.url`) },
      http: {
        request: {
          method: fields.string(request, 'method', `${at}.request.method`),
          id: fields.string(request, 'id', `${at}.request.id`),
        },
      },
      registry: {
        name: host,
        action: verb,
        repository,
        tag,
        digest,
        media_type: mediaType,
        artifact_kind: kind,
        size:
          fields.number(target, 'size', `${at}.target.size`) ??
          fields.number(target, 'length', `${at}.target.length`),
      },
      container: image ? { image } : undefined,
      cairn: cairnFields(this, original),
    });
  }
}
