import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import { DEFAULT_SEARCH_COST, queryCost } from './query-cost';

interface HookContext {
  readonly reply?: { readonly request?: { readonly body?: unknown } };
}

/**
 * Refuses, before anything runs, a query whose cost (query-cost.ts) is above the limit. A
 * Mercurius preExecution hook rather than a validation rule: it needs the variables, and
 * validation rules that see them would disable Mercurius' query cache.
 */
export function costLimitHook(maxCost: number) {
  // Mercurius accepts only hooks that return a promise.
  return (
    schema: GraphQLSchema,
    document: DocumentNode,
    context: HookContext,
    variables?: Record<string, unknown>,
  ): Promise<void> => {
    const body = context.reply?.request?.body as { operationName?: unknown } | undefined;
    const operationName = typeof body?.operationName === 'string' ? body.operationName : undefined;
    const cost = queryCost(schema, document, variables, DEFAULT_SEARCH_COST, operationName);
    if (cost <= maxCost) return Promise.resolve();
    return Promise.reject(
      new GraphQLError(
        `query cost ${cost} is above the limit of ${maxCost}: ask for fewer events per page, ` +
          'fewer fields, or fewer aliased queries in one request',
        { extensions: { code: 'QUERY_TOO_COMPLEX', cost, maxCost } },
      ),
    );
  };
}
