import { deterministicEventId, originalParts, type AuditEventDocument } from '@cairn/event-schema';
import { containerIds, isRecord, SourceFields, type Json } from '../common/fields';
import { topLevelLiteral } from '../common/top-level-literal';
import { imageFields } from '../common/image-reference';
import { cairnFields } from '../common/cairn-fields';
import { compact } from '../compact';
import type { NormalizeContext, SourceNormalizer } from '../source-normalizer';

const fields = new SourceFields('docker event');

const CATEGORY: Readonly<Record<string, string>> = {
  container: 'process',
  image: 'package',
  network: 'network',
  volume: 'file',
};

const TYPE_BY_ACTION: Readonly<Record<string, string>> = {
  create: 'creation',
  start: 'start',
  restart: 'start',
  unpause: 'start',
  stop: 'end',
  die: 'end',
  kill: 'end',
  oom: 'end',
  pause: 'end',
  destroy: 'deletion',
  delete: 'deletion',
  remove: 'deletion',
  untag: 'deletion',
  pull: 'access',
  push: 'creation',
  import: 'creation',
  load: 'creation',
  tag: 'change',
  rename: 'change',
  update: 'change',
  connect: 'connection',
  disconnect: 'end',
  mount: 'access',
  unmount: 'end',
};

/** `exec_create: sh -c id` carries its command after the colon; `health_status: healthy` its state. */
function splitAction(action: string): { verb: string; detail?: string } {
  const colon = action.indexOf(':');
  if (colon < 0) return { verb: action.trim() };
  return { verb: action.slice(0, colon).trim(), detail: action.slice(colon + 1).trim() || undefined };
}

/**
 * timeNano exceeds 2^53, so JSON.parse rounds it; the identity takes the digits as written, so
 * two events a few nanoseconds apart never share an id. Only the event's own timeNano counts (a
 * label or attribute of that name is the container author's), and only when it is the value
 * parsed, give or take that rounding.
 */
function exactTimeNano(rawText: string, event: Json): string {
  const written = topLevelLiteral(rawText, 'timeNano');
  if (written && /^\d+$/.test(written) && Number(written) === Number(event.timeNano)) return written;
  return String(event.timeNano ?? event.time);
}

function actionName(type: string, verb: string): string {
  if (type === 'container' && verb === 'exec_create') return 'container.exec';
  return `${type}.${verb}`;
}

const CONTAINER_ID = /^[0-9a-f]{64}$/;

/**
 * Engines before API 1.22 (Docker 1.10) sent only `status`, `id` and `from`: `from` or a
 * 64-hex id is a container's event, any other id an image's (its name or digest). Read as the
 * event a newer engine would send for it, so the same event has the same id either way.
 */
function fromLegacyShape(event: Json): Json {
  const id = fields.requiredString(event, 'id');
  const from = fields.string(event, 'from');
  const container = from !== undefined || CONTAINER_ID.test(id);
  return {
    ...event,
    Type: container ? 'container' : 'image',
    Action: event.status,
    Actor: { ID: id, Attributes: from !== undefined ? { image: from } : {} },
  };
}

const isLegacyShape = (raw: Json) =>
  raw.Type === undefined &&
  typeof raw.status === 'string' &&
  typeof raw.id === 'string' &&
  (typeof raw.time === 'number' || typeof raw.timeNano === 'number');

/** Docker Engine events, from the /events API or `docker events --format '{{json .}}'`, also as engines before API 1.22 sent them. */
export class DockerEventNormalizer implements SourceNormalizer {
  readonly product = 'docker' as const;
  readonly sourceKind = 'RUNTIME' as const;

  canHandle(raw: unknown): boolean {
    if (!isRecord(raw)) return false;
    return (
      (typeof raw.Type === 'string' && typeof raw.Action === 'string' && isRecord(raw.Actor)) ||
      isLegacyShape(raw)
    );
  }

  normalize(raw: unknown, context: NormalizeContext): AuditEventDocument[] {
    const event = isLegacyShape(raw as Json) ? fromLegacyShape(raw as Json) : (raw as Json);
    const type = fields.requiredString(event, 'Type').toLowerCase();
    const rawAction = fields.requiredString(event, 'Action');
    const actor = fields.object(event, 'Actor') ?? {};
    const actorId = fields.string(actor, 'ID', 'Actor.ID') ?? '';
    const attributes = fields.object(actor, 'Attributes', 'Actor.Attributes') ?? {};
    const attribute = (key: string) => fields.string(attributes, key, `Actor.Attributes.${key}`);
    const timestamp =
      fields.nanos(event.timeNano, 'timeNano') ?? fields.epoch(fields.number(event, 'time'), 'time');
    if (!timestamp) throw fields.invalid('neither timeNano nor time is set');
    if (!/^[a-z_]+$/.test(type)) throw fields.invalid(`Type "${type}" is not an object type`);
    const { verb, detail } = splitAction(rawAction);
    if (!/^[a-z_]+$/.test(verb)) throw fields.invalid(`Action "${rawAction}" is not a Docker action`);

    const original = originalParts(context.rawText);
    const isContainer = type === 'container';
    const isExec = verb.startsWith('exec_');
    const exitCode = attribute('exitCode');
    const image = isContainer
      ? (attribute('image') ?? fields.string(event, 'from'))
      : type === 'image'
        ? actorId.startsWith('sha256:')
          ? attribute('name')
          : actorId
        : undefined;

    return [
      compact<AuditEventDocument>({
        '@timestamp': timestamp,
        message: `${type} ${rawAction} ${attribute('name') ?? actorId}`.trim(),
        event: {
          id: deterministicEventId(this.product, [exactTimeNano(context.rawText, event), actorId, rawAction]),
          kind: 'event',
          category: [CATEGORY[type] ?? 'configuration'],
          type: [TYPE_BY_ACTION[verb] ?? 'info'],
          action: actionName(type, verb),
          outcome: 'success',
          reason: isExec ? undefined : detail,
          original: original.original,
          ingested: context.receivedAt.toISOString(),
        },
        container: {
          ...(isContainer ? containerIds(actorId) : containerIds(attribute('container'))),
          name: isContainer ? attribute('name') : undefined,
          runtime: isContainer ? 'docker' : undefined,
          image: imageFields(image),
          exit_code: exitCode !== undefined && /^-?\d+$/.test(exitCode) ? Number(exitCode) : undefined,
        },
        process: isExec ? { command_line: detail, exec_id: attribute('execID') } : undefined,
        network: type === 'network' ? { name: attribute('name') } : undefined,
        volume: type === 'volume' ? { name: actorId || undefined } : undefined,
        kubernetes: {
          namespace: attribute('io.kubernetes.pod.namespace'),
          pod: { name: attribute('io.kubernetes.pod.name'), uid: attribute('io.kubernetes.pod.uid') },
          container: { name: attribute('io.kubernetes.container.name') },
        },
        cairn: cairnFields(this, original),
      }),
    ];
  }
}
