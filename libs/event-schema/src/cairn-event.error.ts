/** Stable codes for why an input could not become an audit event; they travel in dead-letter headers. */
export enum EventErrorCode {
  MalformedJson = 'MALFORMED_JSON',
  UnrecognizedSource = 'UNRECOGNIZED_SOURCE',
  InvalidSourceEvent = 'INVALID_SOURCE_EVENT',
  InvalidNormalizedEvent = 'INVALID_NORMALIZED_EVENT',
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
