import type { DocumentNode, GraphQLSchema } from 'graphql';
import { ApiErrorCode, apiError } from './api-error';
import { graphqlParamsOf, onlyOperation, operationLabel, selectOperation } from './graphql-request';
import { DEFAULT_SEARCH_COST, queryCost } from './query-cost';
import type { PolicedRequest } from './request-state';

interface HookContext {
  readonly reply?: {
    readonly request?: PolicedRequest & { method: string; query?: unknown; body?: unknown };
  };
}

/**
 * Runs before any resolver (a Mercurius preExecution hook, so variables are known and the query
 * cache stays on). It settles which operation runs — from the same parameters Mercurius executes,
 * GET or POST — refuses an operation name the document does not hold, prices exactly that
 * operation against the limit, names it for the access record, and hands Mercurius a document
 * with that operation alone, so its JIT cannot run another one.
 */
export function graphqlOperationHook(maxCost: number) {
  // Mercurius accepts only hooks that return a promise.
  return (
    schema: GraphQLSchema,
    document: DocumentNode,
    context: HookContext,
    variables?: Record<string, unknown>,
  ): Promise<{ document?: DocumentNode } | void> => {
    const request = context.reply?.request;
    if (!request) return Promise.reject(apiError(ApiErrorCode.InternalServerError, 'internal error'));
    const { operationName } = graphqlParamsOf(request);
    const operation = selectOperation(document, operationName);
    if (!operation) {
      return Promise.reject(
        apiError(
          ApiErrorCode.BadUserInput,
          operationName === undefined
            ? 'the query holds several operations: name the one to run (operationName)'
            : `operationName "${operationName.slice(0, 100)}" names no operation in the query`,
        ),
      );
    }
    if (request.cairnAccess) request.cairnAccess.operation = operationLabel(operation);
    const single = onlyOperation(document, operation);
    if (request.cairnAccess?.policy.priced !== false) {
      const cost = queryCost(schema, single, variables, DEFAULT_SEARCH_COST, operation.name?.value);
      if (cost > maxCost) {
        return Promise.reject(
          apiError(
            ApiErrorCode.QueryTooComplex,
            `query cost ${cost} is above the limit of ${maxCost}: ask for fewer events per page, ` +
              'fewer fields, or fewer aliased queries in one request',
            { cost, maxCost },
          ),
        );
      }
    }
    return Promise.resolve(single === document ? undefined : { document: single });
  };
}
