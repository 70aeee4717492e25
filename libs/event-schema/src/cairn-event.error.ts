/** Stable codes for why an input could not become an audit event; they travel in dead-letter headers. */
export enum EventErrorCode {
  EmptyMessage = 'EMPTY_MESSAGE',
  MessageTooLarge = 'MESSAGE_TOO_LARGE',
  InvalidUtf8 = 'INVALID_UTF8',
  MalformedJson = 'MALFORMED_JSON',
  NotAnObject = 'NOT_AN_OBJECT',
  NestingTooDeep = 'NESTING_TOO_DEEP',
  /** Keys such as __proto__ that could reach an object's prototype. */
  ForbiddenKey = 'FORBIDDEN_KEY',
  UnrecognizedSource = 'UNRECOGNIZED_SOURCE',
  /** A known source, in a shape (an old version, a retired feature) Cairn does not read: the message says which. */
  UnsupportedSourceVersion = 'UNSUPPORTED_SOURCE_VERSION',
  InvalidSourceEvent = 'INVALID_SOURCE_EVENT',
  /** Further in the future than the allowed clock skew: a wrong clock or a forged event. */
  TimestampInFuture = 'TIMESTAMP_IN_FUTURE',
  /**
   * Older than the oldest event ingest accepts (CAIRN_MAX_EVENT_AGE_DAYS): otherwise a sender
   * would decide how many monthly indices exist. Backfill older history on purpose (README).
   */
  TimestampTooOld = 'TIMESTAMP_TOO_OLD',
  /** One message that would become more documents than CAIRN_MAX_EVENTS_PER_MESSAGE. */
  TooManyEvents = 'TOO_MANY_EVENTS',
  /** The event's id is already stored for an event with other content: never dropped as a duplicate. */
  IdentityConflict = 'IDENTITY_CONFLICT',
  InvalidNormalizedEvent = 'INVALID_NORMALIZED_EVENT',
  /** A normalizer failed in a way it did not foresee: a bug, kept as a dead letter until fixed. */
  NormalizerFailure = 'NORMALIZER_FAILURE',
  /** Elasticsearch refused the document for good (mapping conflict, too large): a 4xx other than 409 or 429. */
  StorageRejected = 'ELASTICSEARCH_REJECTED',
}

export class CairnEventError extends Error {
  constructor(
    readonly code: EventErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CairnEventError';
  }
}
