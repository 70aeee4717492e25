import type { QueryDslQueryContainer } from '@elastic/elasticsearch/lib/api/types';
import type { Outcome, Product, SourceKind } from '@cairn/event-schema';

/** A search filter as the store takes it, and the Elasticsearch query it becomes. */
export interface EventSearchFilter {
  readonly from?: Date;
  readonly to?: Date;
  readonly sourceKinds?: readonly SourceKind[];
  readonly products?: readonly Product[];
  readonly actions?: readonly string[];
  readonly outcomes?: readonly Outcome[];
  readonly actor?: string;
  readonly namespace?: string;
  /** orchestrator.cluster.name: named by a managed cluster's log envelope (EKS, AKS, GKE). */
  readonly cluster?: string;
  readonly pod?: string;
  /** A full id or a prefix of at least 12 hex characters (Falco reports 12). */
  readonly containerId?: string;
  /** An image already parsed: canonical name (and tag), or a digest alone. */
  readonly image?: {
    readonly name?: string;
    readonly repository?: string;
    readonly tag?: string;
    readonly digest?: string;
  };
  readonly sourceIp?: string;
  /** Plain words; never query syntax. */
  readonly text?: string;
  /** Compliance controls as stored: `FRAMEWORK:control`; an event with any of them matches. */
  readonly controls?: readonly string[];
}

/** Fields the text filter searches. */
export const TEXT_FIELDS = [
  'message',
  'process.command_line',
  'orchestrator.resource.name',
  'container.name',
];

/** Only term and range clauses built from typed values: user input never becomes query syntax. */
export function buildEventQuery(filter: EventSearchFilter = {}): QueryDslQueryContainer {
  const clauses: QueryDslQueryContainer[] = [];
  if (filter.from || filter.to) {
    clauses.push({
      range: {
        '@timestamp': {
          ...(filter.from ? { gte: filter.from.toISOString() } : {}),
          ...(filter.to ? { lt: filter.to.toISOString() } : {}),
          format: 'strict_date_optional_time',
        },
      },
    });
  }
  const terms = (field: string, values?: readonly string[]) => {
    if (values && values.length > 0) clauses.push({ terms: { [field]: [...values] } });
  };
  terms('cairn.source_kind', filter.sourceKinds);
  terms('cairn.product', filter.products);
  terms('event.action', filter.actions);
  terms('event.outcome', filter.outcomes);
  terms('cairn.compliance.controls', filter.controls);
  if (filter.actor !== undefined) clauses.push({ term: { 'user.name': filter.actor } });
  if (filter.namespace !== undefined) clauses.push(namespaceClause(filter.namespace));
  if (filter.cluster !== undefined) clauses.push({ term: { 'orchestrator.cluster.name': filter.cluster } });
  if (filter.pod !== undefined) clauses.push({ term: { 'kubernetes.pod.name': filter.pod } });
  if (filter.containerId !== undefined) clauses.push(containerIdClause(filter.containerId));
  if (filter.image !== undefined) clauses.push(imageClause(filter.image));
  if (filter.sourceIp !== undefined) clauses.push({ term: { 'source.ip': filter.sourceIp } });
  if (filter.text !== undefined) {
    // flags NONE: no operator, wildcard or fuzziness syntax is read from the words.
    clauses.push({
      simple_query_string: {
        query: filter.text,
        fields: TEXT_FIELDS,
        flags: 'NONE',
        default_operator: 'and',
        lenient: true,
      },
    });
  }
  return { bool: { filter: clauses } };
}

export const anyOf = (clauses: QueryDslQueryContainer[]): QueryDslQueryContainer => ({
  bool: { should: clauses, minimum_should_match: 1 },
});

/** Runtime events and Falco alerts carry kubernetes.namespace; API requests also orchestrator.namespace. */
export function namespaceClause(namespace: string): QueryDslQueryContainer {
  return anyOf([
    { term: { 'kubernetes.namespace': namespace } },
    { term: { 'orchestrator.namespace': namespace } },
  ]);
}

/** Docker and containerd report 64 hex characters, Falco the first 12: both match either way. */
export function containerIdClause(id: string): QueryDslQueryContainer {
  return anyOf([{ prefix: { 'container.id': id } }, { term: { 'container.id': id.slice(0, 12) } }]);
}

function imageClause(image: NonNullable<EventSearchFilter['image']>): QueryDslQueryContainer {
  const clauses: QueryDslQueryContainer[] = [];
  if (image.digest) {
    clauses.push(
      anyOf([
        { term: { 'container.image.hash.all': image.digest } },
        { term: { 'registry.digest': image.digest } },
      ]),
    );
  }
  if (image.name) {
    // Registry events also carry the repository path alone, so "team/app" finds their pushes and pulls.
    const byName: QueryDslQueryContainer[] = [{ term: { 'container.image.name': image.name } }];
    if (image.repository) byName.push({ term: { 'registry.repository': image.repository } });
    clauses.push(anyOf(byName));
  }
  if (image.tag) {
    clauses.push(
      anyOf([{ term: { 'container.image.tag': image.tag } }, { term: { 'registry.tag': image.tag } }]),
    );
  }
  return { bool: { filter: clauses } };
}
