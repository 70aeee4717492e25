import {
  getArgumentValues,
  getNamedType,
  isCompositeType,
  isObjectType,
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * What a query may cost. Every selected field costs 1 for each time it can appear in the answer;
 * under a field with a `first` or `size` argument that is the argument's value (variables and
 * schema defaults resolved). Each field of the root Query type also costs `searchCost`, since
 * every one is at least one Elasticsearch request: aliasing `events` 50 times is 50 searches.
 */
export interface QueryCostLimits {
  readonly maxCost: number;
  readonly searchCost: number;
}

export const DEFAULT_SEARCH_COST = 1_000;

/** Arguments whose value says how many items the field's list holds. */
const LIST_SIZE_ARGUMENTS = ['first', 'size'];

export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  searchCost: number,
  operationName?: string,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
  }
  const operation = operationName
    ? operations.find((candidate) => candidate.name?.value === operationName)
    : operations[0];
  const root = operation?.operation === OperationTypeNode.QUERY ? schema.getQueryType() : undefined;
  if (!operation || !root) return 0;

  const costOf = (
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    multiplier: number,
    atRoot: boolean,
    visiting: ReadonlySet<string>,
  ): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // Cycles are refused by validation; guard anyway so a cost check can never loop.
        if (!fragment || visiting.has(name)) continue;
        const type = schema.getType(fragment.typeCondition.name.value);
        if (!type || !isCompositeType(type)) continue;
        cost += costOf(fragment.selectionSet, type, multiplier, atRoot, new Set([...visiting, name]));
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (!type || !isCompositeType(type)) continue;
        cost += costOf(selection.selectionSet, type, multiplier, atRoot, visiting);
        continue;
      }
      if (!isObjectType(parent) && selection.name.value !== '__typename') continue;
      const field = isObjectType(parent) ? parent.getFields()[selection.name.value] : undefined;
      cost += multiplier * (1 + (atRoot && field ? searchCost : 0));
      if (!field || !selection.selectionSet) continue;
      const args = getArgumentValues(field, selection, variables ?? {});
      const size = LIST_SIZE_ARGUMENTS.map((name) => args[name]).find(
        (value): value is number => typeof value === 'number' && value > 0,
      );
      const child = getNamedType(field.type);
      if (!isCompositeType(child)) continue;
      cost += costOf(selection.selectionSet, child, multiplier * (size ?? 1), false, visiting);
    }
    return cost;
  };
  return costOf(operation.selectionSet, root, 1, true, new Set());
}
