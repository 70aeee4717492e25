import { deterministicEventId, originalParts, type AuditEventDocument } from '@cairn/event-schema';
import { isRecord, SourceFields, type Json } from '../common/fields';
import { cairnFields } from '../common/cairn-fields';
import { compact } from '../compact';
import type { NormalizeContext, SourceNormalizer } from '../source-normalizer';

const fields = new SourceFields('Gatekeeper admission log');

/** `denied admission` (Gatekeeper 3.x), optionally followed by `: <the constraint's message>`. */
const DENIED = /^denied admission(?::\s*(.*))?$/s;

/**
 * A kind's resource name as Kubernetes guesses it when no discovery answer is at hand
 * (UnsafeGuessKindToResource): lower case, then `es` after an s, `ies` for a trailing y, else `s`.
 */
export function resourceOfKind(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/**
 * Gatekeeper's admission denials as its controller logs them with `--log-denies` (one zap JSON
 * line per denied request, shipped from the pod's log). The constraint is the rule; the request's
 * user, resource kind, namespace and name become the same Kubernetes fields the API server's own
 * events use. The line has no id and no verb: its identity is its content (time, constraint,
 * object, user), and the verb stays unknown rather than guessed.
 */
export class GatekeeperDenialNormalizer implements SourceNormalizer {
  readonly product = 'opa' as const;
  readonly sourceKind = 'POLICY' as const;

  canHandle(raw: unknown): boolean {
    return (
      isRecord(raw) &&
      typeof raw.msg === 'string' &&
      DENIED.test(raw.msg) &&
      raw.process === 'admission' &&
      typeof raw.constraint_kind === 'string' &&
      typeof raw.constraint_name === 'string'
    );
  }

  normalize(raw: unknown, context: NormalizeContext): AuditEventDocument[] {
    const line = raw as Json;
    const constraintKind = fields.requiredString(line, 'constraint_kind');
    const constraintName = fields.requiredString(line, 'constraint_name');
    const timestamp =
      typeof line.ts === 'number'
        ? fields.epoch(line.ts, 'ts')
        : fields.timestamp(fields.requiredString(line, 'ts'), 'ts');
    const action = fields.string(line, 'constraint_action') ?? 'deny';
    const enforced = action === 'deny';
    const reason = DENIED.exec(fields.requiredString(line, 'msg'))?.[1]?.trim() || undefined;
    const kind = fields.string(line, 'resource_kind');
    const resource = kind ? resourceOfKind(kind) : undefined;
    const namespace = fields.string(line, 'resource_namespace') || undefined;
    const name = fields.string(line, 'resource_name') || undefined;
    const username = fields.string(line, 'request_username');
    const verb = fields.string(line, 'request_operation')?.toLowerCase();
    const isPod = resource === 'pods';
    const rule = `${constraintKind}/${constraintName}`;
    const original = originalParts(context.rawText);
    const object = [kind, [namespace, name].filter(Boolean).join('/')].filter(Boolean).join(' ');
    return [
      compact<AuditEventDocument>({
        '@timestamp': timestamp!,
        message:
          `Gatekeeper ${rule} ${enforced ? 'denied' : `would deny (${action})`} ${username ?? 'a request'}` +
          `${object ? ` ${object}` : ''}${reason ? `: ${reason}` : ''}`,
        event: {
          id: deterministicEventId(this.product, [
            'gatekeeper',
            String(line.ts),
            rule,
            kind ?? '',
            namespace ?? '',
            name ?? '',
            username ?? '',
          ]),
          kind: 'event',
          category: ['configuration'],
          type: [enforced ? 'denied' : 'allowed'],
          action: 'policy.decision',
          outcome: enforced ? 'failure' : 'success',
          reason: reason ?? `violates ${rule}`,
          original: original.original,
          ingested: context.receivedAt.toISOString(),
        },
        rule: { name: rule, ruleset: fields.string(line, 'constraint_group') },
        user: { name: username },
        orchestrator: {
          type: 'kubernetes',
          namespace,
          api_version: fields.string(line, 'resource_api_version') || undefined,
          resource: { type: resource, name },
        },
        kubernetes: {
          verb,
          api_group: fields.string(line, 'resource_group') || undefined,
          authorization: { decision: enforced ? 'forbid' : 'allow', reason },
          namespace: isPod ? namespace : undefined,
          pod: isPod ? { name } : undefined,
        },
        cairn: cairnFields(this, original),
      }),
    ];
  }
}
