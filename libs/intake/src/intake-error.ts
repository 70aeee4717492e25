/** Why the intake refused a request: a stable code, the sentence for the sender, and its HTTP status. */
export enum IntakeErrorCode {
  Unauthenticated = 'UNAUTHENTICATED',
  WrongSource = 'WRONG_SOURCE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  UnsupportedEncoding = 'UNSUPPORTED_ENCODING',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  EmptyBody = 'EMPTY_BODY',
  MalformedBody = 'MALFORMED_BODY',
  RateLimited = 'RATE_LIMITED',
  KafkaUnavailable = 'KAFKA_UNAVAILABLE',
  NotFound = 'NOT_FOUND',
}

export class IntakeError extends Error {
  constructor(
    readonly code: IntakeErrorCode,
    message: string,
    /** Seconds a sender should wait before trying again (429, 503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'IntakeError';
  }
}

function unreachable(code: never): never {
  throw new Error(`unhandled intake error code ${String(code)}`);
}

export function intakeHttpStatusOf(code: IntakeErrorCode): number {
  switch (code) {
    case IntakeErrorCode.Unauthenticated:
      return 401;
    case IntakeErrorCode.WrongSource:
      return 403;
    case IntakeErrorCode.NotFound:
      return 404;
    case IntakeErrorCode.PayloadTooLarge:
      return 413;
    case IntakeErrorCode.UnsupportedMediaType:
    case IntakeErrorCode.UnsupportedEncoding:
      return 415;
    case IntakeErrorCode.EmptyBody:
    case IntakeErrorCode.MalformedBody:
      return 400;
    case IntakeErrorCode.RateLimited:
      return 429;
    case IntakeErrorCode.KafkaUnavailable:
      return 503;
    default:
      return unreachable(code);
  }
}

/** The JSON body of a refusal: the same shape as the API's errors. */
export function intakeRefusalBody(error: IntakeError): { error: { code: IntakeErrorCode; message: string } } {
  return { error: { code: error.code, message: error.message } };
}
