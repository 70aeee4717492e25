import {
  deterministicEventId,
  originalParts,
  type AuditEventDocument,
  type Outcome,
} from '@cairn/event-schema';
import { isRecord, SourceFields, type Json } from '../common/fields';
import { cairnFields } from '../common/cairn-fields';
import { compact } from '../compact';
import { requestFacts } from '../kubernetes-audit/request-object';
import type { NormalizeContext, SourceNormalizer } from '../source-normalizer';

const fields = new SourceFields('OPA decision log');

interface Verdict {
  /** Undefined: the result is an answer to a query, not an allow or deny. */
  readonly allowed?: boolean;
  readonly reason?: string;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/**
 * What a policy's result says, in the shapes Kubernetes admission policies return: a boolean
 * (`allow`), a set of denial messages (`deny[msg]`: empty is allowed), an AdmissionReview
 * (kube-mgmt's `system.main`), or an object with `allowed`. Anything else is a plain answer.
 */
function verdictOf(result: unknown): Verdict {
  if (typeof result === 'boolean') return { allowed: result };
  if (Array.isArray(result)) {
    const messages = strings(result);
    return { allowed: result.length === 0, reason: messages.length > 0 ? messages.join('; ') : undefined };
  }
  if (!isRecord(result)) return {};
  const decision = isRecord(result.response) ? result.response : result;
  if (typeof decision.allowed !== 'boolean') return {};
  const status = isRecord(decision.status) ? decision.status : {};
  const reason = [status.message, status.reason, decision.reason, decision.message].find(
    (text): text is string => typeof text === 'string' && text !== '',
  );
  return { allowed: decision.allowed, reason };
}

/** An admission request inside the input (an AdmissionReview's `request`, or the request itself). */
function admissionRequestOf(input: unknown): Json | undefined {
  if (!isRecord(input)) return undefined;
  const request = isRecord(input.request) ? input.request : input;
  return typeof request.operation === 'string' && isRecord(request.resource) ? request : undefined;
}

/** Bundles as `name@revision`, the policy version that decided. */
function bundleRevisions(bundles: Json | undefined): string | undefined {
  if (!bundles) return undefined;
  const revisions = Object.entries(bundles)
    .filter(([, bundle]) => isRecord(bundle) && typeof bundle.revision === 'string')
    .map(([name, bundle]) => `${name}@${(bundle as Json).revision as string}`)
    .sort();
  return revisions.length > 0 ? revisions.join(', ') : undefined;
}

/**
 * Open Policy Agent decision logs (one decision per message; the HTTP intake splits OPA's gzip
 * batches). The decision id is the identity; the policy path is the rule, each bundle's revision
 * its version. An admission request in the input becomes the Kubernetes fields the API server's
 * own events use, so a refused workload is found by the same queries and compliance rules.
 */
export class OpaDecisionNormalizer implements SourceNormalizer {
  readonly product = 'opa' as const;
  readonly sourceKind = 'POLICY' as const;

  canHandle(raw: unknown): boolean {
    return (
      isRecord(raw) &&
      typeof raw.decision_id === 'string' &&
      typeof raw.timestamp === 'string' &&
      (typeof raw.path === 'string' || typeof raw.query === 'string')
    );
  }

  normalize(raw: unknown, context: NormalizeContext): AuditEventDocument[] {
    const log = raw as Json;
    const decisionId = fields.requiredString(log, 'decision_id');
    const timestamp = fields.timestamp(fields.requiredString(log, 'timestamp'), 'timestamp')!;
    const path = fields.string(log, 'path') ?? fields.string(log, 'query');
    const error = fields.object(log, 'error');
    const verdict = error ? {} : verdictOf(log.result);
    const outcome: Outcome =
      verdict.allowed === undefined
        ? error
          ? 'failure'
          : 'unknown'
        : verdict.allowed
          ? 'success'
          : 'failure';
    const reason = error ? fields.string(error, 'message', 'error.message') : verdict.reason;
    const admission = admissionRequestOf(log.input);
    const kube: Partial<ReturnType<typeof kubernetesFieldsOf>> = admission
      ? kubernetesFieldsOf(admission, verdict)
      : {};
    const decided = verdict.allowed === undefined ? 'answered' : verdict.allowed ? 'allowed' : 'denied';
    const original = originalParts(context.rawText);
    return [
      compact<AuditEventDocument>({
        '@timestamp': timestamp,
        message: [
          `OPA ${path ?? 'query'} ${error ? 'failed' : decided}`,
          kube.summary,
          reason ? `: ${reason}` : '',
        ]
          .filter(Boolean)
          .join(' ')
          .replace(' : ', ': '),
        event: {
          id: deterministicEventId(this.product, [decisionId]),
          kind: 'event',
          category: ['configuration'],
          type: [verdict.allowed === undefined ? 'info' : verdict.allowed ? 'allowed' : 'denied'],
          action: 'policy.decision',
          outcome,
          reason,
          original: original.original,
          ingested: context.receivedAt.toISOString(),
        },
        rule: { name: path, version: bundleRevisions(fields.object(log, 'bundles')) },
        user: kube.user,
        orchestrator: kube.orchestrator,
        kubernetes: kube.kubernetes,
        cairn: cairnFields(this, original),
      }),
    ];
  }
}

function kubernetesFieldsOf(request: Json, verdict: Verdict) {
  const resource = request.resource as Json;
  const text = (object: Json, key: string, path: string) =>
    fields.string(object, key, `input.request.${path}`);
  const userInfo = fields.object(request, 'userInfo', 'input.request.userInfo') ?? {};
  const resourceType = text(resource, 'resource', 'resource.resource');
  const namespace = text(request, 'namespace', 'namespace');
  const name = text(request, 'name', 'name');
  const verb = text(request, 'operation', 'operation')?.toLowerCase();
  const subresource = text(request, 'subResource', 'subResource');
  const username = text(userInfo, 'username', 'userInfo.username');
  const isPod = resourceType === 'pods';
  const object = isRecord(request.object) ? request.object : undefined;
  const metadataName = isRecord(object?.metadata) ? object.metadata.name : undefined;
  // Lenient like requestFacts: a pod's name from its object only when it is text.
  const podName = name ?? (isPod && typeof metadataName === 'string' ? metadataName : undefined);
  return {
    summary: [username, verb, resourceType, [namespace, podName].filter(Boolean).join('/')]
      .filter(Boolean)
      .join(' '),
    user: {
      name: username,
      id: text(userInfo, 'uid', 'userInfo.uid'),
      group: { name: fields.strings(userInfo, 'groups', 'input.request.userInfo.groups') },
    },
    orchestrator: {
      type: 'kubernetes',
      namespace,
      api_version: text(resource, 'version', 'resource.version'),
      resource: { type: resourceType, name: podName },
    },
    kubernetes: {
      verb,
      subresource,
      api_group: text(resource, 'group', 'resource.group') || undefined,
      authorization: {
        decision: verdict.allowed === undefined ? undefined : verdict.allowed ? 'allow' : 'forbid',
        reason: verdict.reason,
      },
      namespace: isPod ? namespace : undefined,
      pod: isPod ? { name: podName } : undefined,
      request: requestFacts(object),
    },
  };
}
