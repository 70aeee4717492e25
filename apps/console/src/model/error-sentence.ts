/** Every code the API answers with (libs/api-policy ApiErrorCode; a unit test keeps them equal). */
export const API_ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'GRAPHQL_VALIDATION_FAILED',
  'QUERY_TOO_COMPLEX',
  'QUERY_TIMEOUT',
  'SEARCH_UNAVAILABLE',
  'RATE_LIMITED',
  'AUDIT_UNAVAILABLE',
  'FEED_STATUS_UNAVAILABLE',
  'INTEGRITY_DISABLED',
  'BAD_REQUEST',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'INTERNAL_SERVER_ERROR',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** The console's own failures: the API could not be reached, or answered something unreadable. */
export type ConsoleErrorCode = ApiErrorCode | 'NETWORK' | 'BAD_ANSWER';

export const isApiErrorCode = (value: unknown): value is ApiErrorCode =>
  typeof value === 'string' && (API_ERROR_CODES as readonly string[]).includes(value);

function assertUnreachable(value: never): never {
  throw new Error(`unhandled error code ${String(value)}`);
}

/** What the person at the console should understand, and do, for each code. */
export function sentenceFor(code: ConsoleErrorCode): string {
  switch (code) {
    case 'UNAUTHENTICATED':
      return 'Your token was not accepted; sign in again with a valid one.';
    case 'FORBIDDEN':
      return 'Your role may not see this.';
    case 'BAD_USER_INPUT':
    case 'BAD_REQUEST':
      return 'The question was not understood; check what you entered.';
    case 'GRAPHQL_VALIDATION_FAILED':
    case 'METHOD_NOT_ALLOWED':
    case 'UNSUPPORTED_MEDIA_TYPE':
    case 'PAYLOAD_TOO_LARGE':
      return 'The console and this API do not agree on the question; reload the page.';
    case 'QUERY_TOO_COMPLEX':
      return 'The question asks for too much at once; narrow it.';
    case 'QUERY_TIMEOUT':
      return 'The search took longer than the API allows; narrow it or try again.';
    case 'SEARCH_UNAVAILABLE':
      return 'The event store could not be searched just now; try again shortly.';
    case 'RATE_LIMITED':
      return 'Too many requests in the last minute; wait a moment.';
    case 'AUDIT_UNAVAILABLE':
      return 'Your access could not be recorded, so the answer was withheld; try again shortly.';
    case 'FEED_STATUS_UNAVAILABLE':
      return 'The feeds’ positions could not be read from Kafka.';
    case 'INTEGRITY_DISABLED':
      return 'This deployment keeps no integrity chains, so there is nothing to verify.';
    case 'NOT_FOUND':
      return 'There is no such thing here.';
    case 'INTERNAL_SERVER_ERROR':
      return 'The API failed to answer; its log says why.';
    case 'NETWORK':
      return 'The API could not be reached.';
    case 'BAD_ANSWER':
      return 'The API answered something the console cannot read.';
    default:
      return assertUnreachable(code);
  }
}

/** An answer's error as the console shows it: a sentence, the API's own words, and the code. */
export class ConsoleError extends Error {
  constructor(
    readonly code: ConsoleErrorCode,
    readonly detail: string,
  ) {
    super(`${sentenceFor(code)} (${code}: ${detail})`);
  }
}
