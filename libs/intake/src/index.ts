export { loadIntakeAppConfig, type IntakeAppConfig } from './config/intake-config';
export { mediaTypeOf, rawMessageOf, type HeaderValue, type IntakeRequest } from './intake-body';
export {
  IntakeAuthenticator,
  parseIntakeCredentials,
  type IntakeCredential,
  type PresentedCertificate,
} from './intake-credentials';
export { IntakeError, IntakeErrorCode, intakeHttpStatusOf, intakeRefusalBody } from './intake-error';
export {
  INTAKE_HEADERS,
  IntakeHandler,
  UNAUTHENTICATED_SENDER,
  type IntakeHandlerParts,
  type IntakeObserver,
  type IntakeOutcome,
} from './intake-handler';
export {
  INTAKE_SOURCE_NAMES,
  INTAKE_SOURCES,
  isIntakeSourceName,
  type IntakeSource,
  type IntakeSourceName,
  type RawTopicRole,
  type SenderBinding,
} from './intake-sources';
export { KAFKA_RETRY_AFTER_SECONDS, RawTopicWriter, type RawTopicWriterOptions } from './raw-topic-writer';
