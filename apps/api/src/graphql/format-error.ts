import type { GraphQLFormattedError } from 'graphql';

const HTTP_CODES: Record<number, string> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
};

/**
 * Errors leave with a stable code and never with a stack trace. Unexpected failures say only that
 * something failed internally; the details go to the log.
 */
export function formatGraphQLError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const extensions = { ...(formatted.extensions ?? {}) } as Record<string, unknown>;
  delete extensions.stacktrace;
  const original = extensions.originalError as { statusCode?: number; message?: unknown } | undefined;
  delete extensions.originalError;
  let code = typeof extensions.code === 'string' ? extensions.code : 'INTERNAL_SERVER_ERROR';
  let message = formatted.message;
  if (original?.statusCode && HTTP_CODES[original.statusCode]) {
    code = HTTP_CODES[original.statusCode];
    if (Array.isArray(original.message)) message = original.message.join('; ');
  }
  if (code === 'INTERNAL_SERVER_ERROR') message = 'internal error';
  return {
    message,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { ...extensions, code },
  };
}
