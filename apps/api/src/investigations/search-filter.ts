import { ApiErrorCode, apiError, assertMayFilter, type Principal } from '@cairn/api-policy';
import { controlRef } from '@cairn/compliance';
import type { EventSearchFilter } from '@cairn/elasticsearch-store';
import type { Outcome as StoredOutcome, Product } from '@cairn/event-schema';
import { parseImageReference } from '@cairn/normalizers';
import type { EventFilter } from './events.args';

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** An image filter as typed by a person, in the canonical spelling events are stored with. */
function imageFilter(input: string | undefined): EventSearchFilter['image'] {
  if (input === undefined) return undefined;
  if (DIGEST.test(input)) return { digest: input };
  const parsed = parseImageReference(input);
  if (!parsed) {
    throw apiError(ApiErrorCode.BadUserInput, 'filter.image: not an image reference or sha256 digest');
  }
  const first = input.split('/')[0];
  const explicitRegistry =
    input.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return {
    name: parsed.name,
    repository: explicitRegistry ? undefined : input.split('@')[0].replace(/:[^/]*$/, ''),
    tag: parsed.tag,
    digest: parsed.digest,
  };
}

/**
 * The GraphQL filter as the store's typed filter (never query text), for this caller: a filter on
 * a field the caller's role may not read is refused, since its matches would reveal the values.
 */
export function toSearchFilter(
  filter: EventFilter | undefined,
  caller: Principal | undefined,
): EventSearchFilter {
  assertMayFilter(caller?.role, filter);
  return {
    from: filter?.from,
    to: filter?.to,
    sourceKinds: filter?.sourceKinds,
    products: filter?.products as Product[] | undefined,
    actions: filter?.actions,
    outcomes: filter?.outcomes?.map((outcome) => outcome.toLowerCase() as StoredOutcome),
    actor: filter?.actor,
    namespace: filter?.namespace,
    cluster: filter?.cluster,
    pod: filter?.pod,
    containerId: filter?.containerId,
    image: imageFilter(filter?.image),
    sourceIp: filter?.sourceIp,
    text: filter?.text,
    controls: filter?.control ? [controlRef(filter.control)] : undefined,
  };
}
