import { HttpException } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { searchFailureOf } from '@cairn/elasticsearch-store';

const CODE_BY_HTTP_STATUS: Record<number, string> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
};

/** Mercurius reports a failed validation as one error holding the GraphQL errors it found. */
export function flattenErrors(errors: readonly GraphQLError[]): GraphQLError[] {
  return errors.flatMap((error) => {
    const inner = (error.originalError as { errors?: unknown } | undefined)?.errors;
    return Array.isArray(inner) ? inner.filter((e): e is GraphQLError => e instanceof GraphQLError) : [error];
  });
}

const SEARCH_FAILURES = {
  timeout: {
    code: 'QUERY_TIMEOUT',
    message:
      'the search took longer than the API allows (CAIRN_API_QUERY_TIMEOUT_MS); ' +
      'narrow the time range or the filter and try again',
  },
  unavailable: {
    code: 'SEARCH_UNAVAILABLE',
    message: 'the event store could not answer (unreachable or overloaded); try again shortly',
  },
} as const;

/**
 * Every error leaves with a stable code and never a stack trace. Unexpected failures say only
 * "internal error"; `onInternal` receives the real one for the log, as it does for searches
 * that timed out or found the store unavailable (the operator needs to see those too).
 */
export function formatGraphQLError(
  error: GraphQLError,
  onInternal: (error: GraphQLError) => void,
): GraphQLFormattedError {
  const original = error.originalError;
  let code = typeof error.extensions.code === 'string' ? error.extensions.code : undefined;
  let message = error.message;
  if (!code && original instanceof HttpException) {
    code = CODE_BY_HTTP_STATUS[original.getStatus()];
    const body = original.getResponse() as { message?: unknown };
    if (Array.isArray(body.message)) message = body.message.join('; ');
  }
  const searchFailure = code ? undefined : searchFailureOf(original);
  if (searchFailure) {
    onInternal(error);
    ({ code, message } = SEARCH_FAILURES[searchFailure]);
  }
  if (!code && !original) code = 'GRAPHQL_VALIDATION_FAILED';
  if (!code) {
    onInternal(error);
    code = 'INTERNAL_SERVER_ERROR';
    message = 'internal error';
  }
  return { message, locations: error.locations, path: error.path, extensions: { code } };
}
