import { HttpException } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ApiErrorCode, codeOfHttpStatus, isApiErrorCode } from '@cairn/api-policy';
import { searchFailureOf } from '@cairn/elasticsearch-store';

/** Mercurius reports a failed validation as one error holding the GraphQL errors it found. */
export function flattenErrors(errors: readonly GraphQLError[] | undefined): GraphQLError[] {
  return (errors ?? []).flatMap((error) => {
    const inner = (error.originalError as { errors?: unknown } | undefined)?.errors;
    return Array.isArray(inner) && inner.length > 0
      ? inner.map((e: unknown) => (e instanceof GraphQLError ? e : toGraphQLError(e)))
      : [error];
  });
}

function toGraphQLError(error: unknown): GraphQLError {
  const original = error instanceof Error ? error : new Error(String(error));
  return new GraphQLError(original.message, { originalError: original });
}

interface Classified {
  readonly code: ApiErrorCode;
  /** The message the caller reads; undefined: the error's own. */
  readonly message?: string;
  /** The real error goes to the log (the operator needs it; the caller must not see it). */
  readonly log: boolean;
}

/** Fastify and Mercurius errors (body parsing, content type, size) carry a status and an FST_/MER_ code. */
function frameworkStatusOf(original: unknown): number | undefined {
  const candidate = original as { statusCode?: unknown; code?: unknown } | undefined;
  return typeof candidate?.statusCode === 'number' &&
    typeof candidate.code === 'string' &&
    /^(FST_|MER_)/.test(candidate.code)
    ? candidate.statusCode
    : undefined;
}

function classify(error: GraphQLError): Classified {
  const declared = error.extensions?.code;
  if (isApiErrorCode(declared)) return { code: declared, log: declared === ApiErrorCode.InternalServerError };
  const original = error.originalError;
  if (original instanceof HttpException) {
    const body = original.getResponse() as { message?: unknown };
    const message = Array.isArray(body.message) ? body.message.join('; ') : undefined;
    // Nest's ValidationPipe (400): an argument's value is wrong, and every message names the argument.
    const status = original.getStatus();
    const code = status === 400 ? ApiErrorCode.BadUserInput : codeOfHttpStatus(status);
    return { code, message, log: status >= 500 };
  }
  const failure = searchFailureOf(original);
  if (failure === 'timeout') return { code: ApiErrorCode.QueryTimeout, log: true };
  if (failure === 'unavailable') return { code: ApiErrorCode.SearchUnavailable, log: true };
  // The depth limit is a rule about the query, like graphql-js' own validation.
  if ((original as { code?: unknown } | undefined)?.code === 'MER_ERR_GQL_QUERY_DEPTH') {
    // Mercurius wraps its sentence in backticks; the caller reads it without them.
    return {
      code: ApiErrorCode.GraphqlValidationFailed,
      message: error.message.replace(/^`|`$/g, ''),
      log: false,
    };
  }
  const status = frameworkStatusOf(original);
  if (status !== undefined && status < 500) return { code: codeOfHttpStatus(status), log: false };
  // No original error: graphql-js itself (syntax, unknown field, bad variable, depth).
  if (!original) return { code: ApiErrorCode.GraphqlValidationFailed, log: false };
  return { code: ApiErrorCode.InternalServerError, log: true };
}

/** Fixed sentences for codes whose own error text would tell the caller about the inside. */
function messageFor(code: ApiErrorCode, own: string): string {
  switch (code) {
    case ApiErrorCode.QueryTimeout:
      return (
        'the search took longer than the API allows (CAIRN_API_QUERY_TIMEOUT_MS); ' +
        'narrow the time range or the filter and try again'
      );
    case ApiErrorCode.SearchUnavailable:
      return 'the event store could not answer (unreachable or overloaded); try again shortly';
    case ApiErrorCode.InternalServerError:
      return 'internal error';
    case ApiErrorCode.AuditUnavailable:
      return 'this access could not be recorded, so it is refused; try again shortly';
    case ApiErrorCode.Unauthenticated:
    case ApiErrorCode.Forbidden:
    case ApiErrorCode.BadUserInput:
    case ApiErrorCode.GraphqlValidationFailed:
    case ApiErrorCode.QueryTooComplex:
    case ApiErrorCode.RateLimited:
    case ApiErrorCode.BadRequest:
    case ApiErrorCode.NotFound:
    case ApiErrorCode.MethodNotAllowed:
    case ApiErrorCode.PayloadTooLarge:
    case ApiErrorCode.UnsupportedMediaType:
    case ApiErrorCode.FeedStatusUnavailable:
    case ApiErrorCode.IntegrityDisabled:
      return own;
  }
}

/**
 * Every error leaves with a code of ApiErrorCode and never a stack trace; this function never
 * throws, whatever shape of error Nest, class-validator, Mercurius, Fastify or graphql-js made.
 */
export function formatGraphQLError(
  error: GraphQLError,
  onInternal: (error: GraphQLError) => void,
): GraphQLFormattedError {
  let classified: Classified;
  try {
    classified = classify(error);
  } catch {
    classified = { code: ApiErrorCode.InternalServerError, log: true };
  }
  if (classified.log) onInternal(error);
  const own = classified.message ?? (typeof error.message === 'string' ? error.message : '');
  return {
    message: messageFor(classified.code, own),
    locations: error.locations,
    path: error.path,
    extensions: { code: classified.code },
  };
}
