import { createHash } from 'node:crypto';
import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';

/** What a GraphQL request asks to run, read the way Mercurius' routes read it. */
export interface GraphQLParams {
  readonly query?: string;
  readonly operationName?: string;
  readonly variables?: unknown;
}

interface RequestLike {
  readonly method: string;
  readonly query?: unknown;
  readonly body?: unknown;
}

const asString = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * GET takes query, operationName and variables from the query string, POST from the body (an
 * `application/graphql` body is the query alone). Read here once, for pricing, the operation that
 * runs and the access record alike: three readings of one request must never disagree.
 */
export function graphqlParamsOf(request: RequestLike): GraphQLParams {
  const source = request.method === 'GET' ? request.query : request.body;
  if (typeof source !== 'object' || source === null || Array.isArray(source)) return {};
  const { query, operationName, variables } = source as Record<string, unknown>;
  return {
    query: asString(query),
    operationName: asString(operationName) || undefined,
    variables: variables ?? undefined,
  };
}

/** The operation graphql-js runs: the one named, or the only one there is. */
export function selectOperation(
  document: DocumentNode,
  operationName: string | undefined,
): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName === undefined) return operations.length === 1 ? operations[0] : undefined;
  return operations.find((operation) => operation.name?.value === operationName);
}

/**
 * The document cut down to one operation and its fragments. Mercurius compiles a query once per
 * text (JIT) with the operation name of that first call; handing it a document that holds only the
 * chosen operation makes the operation that runs the one that was priced and recorded.
 */
export function onlyOperation(document: DocumentNode, operation: OperationDefinitionNode): DocumentNode {
  const count = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length;
  if (count === 1) return document;
  return {
    ...document,
    definitions: document.definitions.filter(
      (definition) => definition === operation || definition.kind === Kind.FRAGMENT_DEFINITION,
    ),
  };
}

/** How an access record names an operation: its name, or its root fields when it has none. */
export function operationLabel(operation: OperationDefinitionNode): string {
  if (operation.name) return operation.name.value.slice(0, 256);
  const fields = operation.selectionSet.selections.flatMap((selection) =>
    selection.kind === Kind.FIELD ? [selection.name.value] : [],
  );
  return [...new Set(fields)].join(',').slice(0, 256) || operation.operation;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
