/** Stable codes for why an input could not become an audit event; they travel in dead-letter headers. */
export enum EventErrorCode {
  MalformedJson = 'MALFORMED_JSON',
  UnrecognizedSource = 'UNRECOGNIZED_SOURCE',
  InvalidSourceEvent = 'INVALID_SOURCE_EVENT',
  InvalidNormalizedEvent = 'INVALID_NORMALIZED_EVENT',
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
