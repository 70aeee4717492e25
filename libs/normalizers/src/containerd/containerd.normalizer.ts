import {
  canonicalHash,
  deterministicEventId,
  originalParts,
  type AuditEventDocument,
} from '@cairn/event-schema';
import { containerIds, isRecord, SourceFields, type Json } from '../common/fields';
import { imageFields } from '../common/image-reference';
import { cairnFields } from '../common/cairn-fields';
import { compact } from '../compact';
import type { NormalizeContext, SourceNormalizer } from '../source-normalizer';

const fields = new SourceFields('containerd event');

/** containerd topics in Cairn's action vocabulary; other topics become `<segment>.<segment>`. */
const ACTIONS: Readonly<Record<string, string>> = {
  '/containers/create': 'container.create',
  '/containers/update': 'container.update',
  '/containers/delete': 'container.destroy',
  '/tasks/create': 'container.task_create',
  '/tasks/start': 'container.start',
  '/tasks/exit': 'container.die',
  '/tasks/delete': 'container.task_delete',
  '/tasks/oom': 'container.oom',
  '/tasks/exec-added': 'container.exec',
  '/tasks/exec-started': 'container.exec_start',
  '/tasks/paused': 'container.pause',
  '/tasks/resumed': 'container.unpause',
  '/tasks/checkpointed': 'container.checkpoint',
  '/images/create': 'image.create',
  '/images/update': 'image.update',
  '/images/delete': 'image.delete',
};

const EVENT_TYPE: Readonly<Record<string, string>> = {
  create: 'creation',
  task_create: 'creation',
  start: 'start',
  exec: 'start',
  exec_start: 'start',
  unpause: 'start',
  die: 'end',
  oom: 'end',
  pause: 'end',
  destroy: 'deletion',
  task_delete: 'deletion',
  delete: 'deletion',
  update: 'change',
};

function actionOf(topic: string): string {
  const known = ACTIONS[topic];
  if (known) return known;
  const segments = topic.split('/').filter(Boolean);
  if (segments.length < 2 || segments.some((s) => !/^[a-z][a-z0-9-]*$/.test(s))) {
    throw fields.invalid(`topic "${topic}" is not a containerd topic`);
  }
  return segments.map((s) => s.replace(/-/g, '_')).join('.');
}

/** containerd events: the shippers' JSON envelope {timestamp, namespace, topic, event} or `ctr events` lines. */
export class ContainerdEventNormalizer implements SourceNormalizer {
  readonly product = 'containerd' as const;
  readonly sourceKind = 'RUNTIME' as const;

  canHandle(raw: unknown): boolean {
    return (
      isRecord(raw) &&
      typeof raw.topic === 'string' &&
      raw.topic.startsWith('/') &&
      typeof raw.namespace === 'string' &&
      'event' in raw
    );
  }

  normalize(raw: unknown, context: NormalizeContext): AuditEventDocument[] {
    const envelope = raw as Json;
    const topic = fields.requiredString(envelope, 'topic');
    const timestamp = fields.timestamp(fields.requiredString(envelope, 'timestamp'), 'timestamp')!;
    let payload: unknown = envelope.event;
    if (typeof payload === 'string') {
      try {
        payload = JSON.parse(payload);
      } catch {
        throw fields.invalid('event is a string that is not JSON');
      }
    }
    const event = isRecord(payload) ? payload : {};
    const action = actionOf(topic);
    const verb = action.slice(action.indexOf('.') + 1);
    const isImage = topic.startsWith('/images/');
    const containerId =
      fields.string(event, 'container_id', 'event.container_id') ??
      (topic.startsWith('/containers/') ? fields.string(event, 'id', 'event.id') : undefined);
    const execId =
      fields.string(event, 'exec_id', 'event.exec_id') ??
      (topic === '/tasks/exit' && event.id !== containerId
        ? fields.string(event, 'id', 'event.id')
        : undefined);
    const labels = fields.object(event, 'labels', 'event.labels') ?? {};
    const label = (key: string) => fields.string(labels, key, `event.labels.${key}`);
    const original = originalParts(context.rawText);
    const exitedExec = topic === '/tasks/exit' && execId !== undefined;

    return [
      compact<AuditEventDocument>({
        '@timestamp': timestamp,
        message: `${topic} ${containerId ?? fields.string(event, 'name', 'event.name') ?? ''}`.trim(),
        event: {
          id: deterministicEventId(this.product, ['sha256', canonicalHash(envelope)]),
          kind: 'event',
          category: [isImage ? 'package' : containerId ? 'process' : 'configuration'],
          type: [EVENT_TYPE[verb] ?? 'info'],
          action: exitedExec ? 'container.exec_die' : action,
          outcome: 'success',
          original: original.original,
          ingested: context.receivedAt.toISOString(),
        },
        container: {
          ...containerIds(containerId),
          runtime: containerId ? 'containerd' : undefined,
          image: imageFields(
            fields.string(event, 'image', 'event.image') ??
              (isImage ? fields.string(event, 'name', 'event.name') : undefined),
          ),
          exit_code: fields.number(event, 'exit_status', 'event.exit_status'),
        },
        process: {
          pid: fields.number(event, 'pid', 'event.pid'),
          exec_id: execId,
        },
        kubernetes: {
          namespace: label('io.kubernetes.pod.namespace'),
          pod: { name: label('io.kubernetes.pod.name'), uid: label('io.kubernetes.pod.uid') },
          container: { name: label('io.kubernetes.container.name') },
        },
        cairn: cairnFields(this, original),
      }),
    ];
  }
}
