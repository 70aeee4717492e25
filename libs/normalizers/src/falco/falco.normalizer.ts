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

/** Falco priorities on the syslog severity scale (0 emergency … 7 debug). */
const SEVERITY: Readonly<Record<string, number>> = {
  emergency: 0,
  alert: 1,
  critical: 2,
  error: 3,
  warning: 4,
  notice: 5,
  informational: 6,
  info: 6,
  debug: 7,
};

const fields = new SourceFields('falco alert');

/** Output field values come as strings, numbers or null ("<NA>" in text output). */
function text(output: Json, key: string): string | undefined {
  const value = output[key];
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' && value !== '<NA>' ? value : undefined;
}

function integer(output: Json, key: string): number | undefined {
  const value = output[key];
  const number = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) ? number : undefined;
}

function imageReference(output: Json): string | undefined {
  const repository = text(output, 'container.image.repository');
  if (!repository) return text(output, 'container.image');
  const tag = text(output, 'container.image.tag');
  const digest = text(output, 'container.image.digest');
  return `${repository}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
}

/** Falco alerts in its JSON output format (json_output: true), from syscalls, k8s_audit or plugins. */
export class FalcoNormalizer implements SourceNormalizer {
  readonly product = 'falco' as const;
  readonly sourceKind = 'RUNTIME' as const;

  canHandle(raw: unknown): boolean {
    return (
      isRecord(raw) && typeof raw.rule === 'string' && typeof raw.priority === 'string' && 'output' in raw
    );
  }

  normalize(raw: unknown, context: NormalizeContext): AuditEventDocument[] {
    const alert = raw as Json;
    const rule = fields.requiredString(alert, 'rule');
    const priority = fields.requiredString(alert, 'priority');
    const severity = SEVERITY[priority.toLowerCase()];
    if (severity === undefined) throw fields.invalid(`priority "${priority}" is not a Falco priority`);
    const output = fields.object(alert, 'output_fields') ?? {};
    const timestamp =
      typeof alert.time === 'number'
        ? fields.nanos(alert.time, 'time')
        : (fields.timestamp(fields.string(alert, 'time'), 'time') ??
          fields.nanos(output['evt.time'], 'output_fields.evt.time'));
    if (!timestamp) throw fields.invalid('time is missing');
    const uuid = fields.string(alert, 'uuid');
    const source = fields.string(alert, 'source') ?? 'syscall';
    const containerId = text(output, 'container.id');
    const inContainer = containerId !== undefined && containerId !== 'host';
    const original = originalParts(context.rawText);
    const k8sAudit = source === 'k8s_audit';

    return [
      compact<AuditEventDocument>({
        '@timestamp': timestamp,
        message: fields.string(alert, 'output'),
        tags: fields.strings(alert, 'tags'),
        event: {
          id: deterministicEventId(this.product, uuid ? [uuid] : ['sha256', canonicalHash(alert)]),
          kind: 'alert',
          category: [
            'intrusion_detection',
            ...(k8sAudit ? ['configuration'] : inContainer ? ['process'] : []),
          ],
          type: ['info'],
          action: 'alert',
          outcome: 'unknown',
          severity,
          original: original.original,
          ingested: context.receivedAt.toISOString(),
        },
        log: { level: priority },
        rule: { name: rule, ruleset: source },
        host: { name: fields.string(alert, 'hostname') },
        user: { name: text(output, k8sAudit ? 'ka.user.name' : 'user.name') },
        container: inContainer
          ? {
              ...containerIds(containerId),
              name: text(output, 'container.name'),
              runtime: text(output, 'container.type'),
              image: imageFields(imageReference(output)),
            }
          : undefined,
        kubernetes: {
          namespace: text(output, 'k8s.ns.name') ?? text(output, 'ka.target.namespace'),
          pod: { name: text(output, 'k8s.pod.name'), uid: text(output, 'k8s.pod.uid') },
          audit_id: text(output, 'ka.auditid'),
          verb: text(output, 'ka.verb'),
        },
        process: k8sAudit
          ? undefined
          : {
              name: text(output, 'proc.name'),
              command_line: text(output, 'proc.cmdline'),
              pid: integer(output, 'proc.pid'),
              executable: text(output, 'proc.exepath') ?? text(output, 'proc.exe'),
              parent: { name: text(output, 'proc.pname') },
              user: { name: text(output, 'user.name') },
            },
        orchestrator: k8sAudit
          ? {
              type: 'kubernetes',
              namespace: text(output, 'ka.target.namespace'),
              resource: { type: text(output, 'ka.target.resource'), name: text(output, 'ka.target.name') },
            }
          : undefined,
        cairn: cairnFields(this, original),
      }),
    ];
  }
}
