import { GraphQLError } from 'graphql';

/** Every code the API answers with, GraphQL or not; clients may rely on them. */
export enum ApiErrorCode {
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  BadUserInput = 'BAD_USER_INPUT',
  GraphqlValidationFailed = 'GRAPHQL_VALIDATION_FAILED',
  QueryTooComplex = 'QUERY_TOO_COMPLEX',
  QueryTimeout = 'QUERY_TIMEOUT',
  SearchUnavailable = 'SEARCH_UNAVAILABLE',
  RateLimited = 'RATE_LIMITED',
  AuditUnavailable = 'AUDIT_UNAVAILABLE',
  /** Kafka, where the push feeds' positions live, could not be read. */
  FeedStatusUnavailable = 'FEED_STATUS_UNAVAILABLE',
  /** This deployment runs with CAIRN_INTEGRITY=off: there are no chains to verify. */
  IntegrityDisabled = 'INTEGRITY_DISABLED',
  /** The body could not be read: malformed JSON, a batch (one operation per request), bad variables. */
  BadRequest = 'BAD_REQUEST',
  NotFound = 'NOT_FOUND',
  MethodNotAllowed = 'METHOD_NOT_ALLOWED',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  InternalServerError = 'INTERNAL_SERVER_ERROR',
}

const CODES = new Set<string>(Object.values(ApiErrorCode));

export function isApiErrorCode(value: unknown): value is ApiErrorCode {
  return typeof value === 'string' && CODES.has(value);
}

function assertUnreachable(value: never): never {
  throw new Error(`unhandled API error code ${String(value)}`);
}

/** The HTTP status an answer refused with this code carries (GraphQL field errors answer 200). */
export function httpStatusOf(code: ApiErrorCode): number {
  switch (code) {
    case ApiErrorCode.Unauthenticated:
      return 401;
    case ApiErrorCode.Forbidden:
      return 403;
    case ApiErrorCode.BadUserInput:
    case ApiErrorCode.GraphqlValidationFailed:
    case ApiErrorCode.QueryTooComplex:
    case ApiErrorCode.BadRequest:
      return 400;
    case ApiErrorCode.NotFound:
      return 404;
    case ApiErrorCode.MethodNotAllowed:
      return 405;
    case ApiErrorCode.IntegrityDisabled:
      return 409;
    case ApiErrorCode.PayloadTooLarge:
      return 413;
    case ApiErrorCode.UnsupportedMediaType:
      return 415;
    case ApiErrorCode.RateLimited:
      return 429;
    case ApiErrorCode.QueryTimeout:
      return 504;
    case ApiErrorCode.SearchUnavailable:
    case ApiErrorCode.AuditUnavailable:
    case ApiErrorCode.FeedStatusUnavailable:
      return 503;
    case ApiErrorCode.InternalServerError:
      return 500;
    default:
      return assertUnreachable(code);
  }
}

/** The code for an HTTP-level failure (body parsing, routing) that names only a status. */
export function codeOfHttpStatus(status: number): ApiErrorCode {
  if (status === 401) return ApiErrorCode.Unauthenticated;
  if (status === 403) return ApiErrorCode.Forbidden;
  if (status === 404) return ApiErrorCode.NotFound;
  if (status === 405) return ApiErrorCode.MethodNotAllowed;
  if (status === 413) return ApiErrorCode.PayloadTooLarge;
  if (status === 415) return ApiErrorCode.UnsupportedMediaType;
  if (status === 429) return ApiErrorCode.RateLimited;
  if (status >= 400 && status < 500) return ApiErrorCode.BadRequest;
  return ApiErrorCode.InternalServerError;
}

/** A GraphQL error with a stable code; resolvers and hooks throw these. */
export function apiError(code: ApiErrorCode, message: string, extensions: Record<string, unknown> = {}) {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

/** The JSON body of an answer refused before GraphQL ran, in GraphQL's response shape. */
export function refusalBody(code: ApiErrorCode, message: string): string {
  return JSON.stringify({ data: null, errors: [{ message, extensions: { code } }] });
}
