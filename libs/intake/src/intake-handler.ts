import { rawMessageOf, type IntakeRequest } from './intake-body';
import type { IntakeAuthenticator, PresentedCertificate } from './intake-credentials';
import { IntakeError, IntakeErrorCode, intakeHttpStatusOf } from './intake-error';
import { INTAKE_SOURCES, type IntakeSourceName, type RawTopicRole } from './intake-sources';
import type { RawTopicWriter } from './raw-topic-writer';

/** The Kafka headers that carry the sender's binding to ingest (its sender-binding step reads them). */
export const INTAKE_HEADERS = {
  sender: 'cairn-intake-sender',
  cluster: 'cairn-intake-cluster',
  registry: 'cairn-intake-registry',
} as const;

/** Counts every request by source, sender and status (metrics implement it). */
export interface IntakeObserver {
  onRequest(source: IntakeSourceName, sender: string, status: number, bytes: number, seconds: number): void;
}

export interface IntakeHandlerParts {
  readonly authenticator: IntakeAuthenticator;
  /** Per sender: false when it has used up its share for now. */
  readonly rateLimiter: { take(sender: string): boolean };
  readonly writer: RawTopicWriter;
  readonly topics: Readonly<Record<RawTopicRole, string>>;
  readonly maxBodyBytes: number;
  readonly observer?: IntakeObserver;
  readonly clock?: () => number;
}

export type IntakeOutcome =
  | { readonly status: 202; readonly sender: string; readonly bytes: number }
  | { readonly status: number; readonly sender: string; readonly error: IntakeError };

/** Sender name used in metrics and logs for a request no credential matched. */
export const UNAUTHENTICATED_SENDER = '-';

/**
 * One webhook request, decided by the route that matched (its source), never by the URL: who sent
 * it, whether that sender may send this source, then the body's bytes to the raw topic, durably.
 */
export class IntakeHandler {
  private readonly clock: () => number;

  constructor(private readonly parts: IntakeHandlerParts) {
    this.clock = parts.clock ?? (() => performance.now());
  }

  async accept(
    sourceName: IntakeSourceName,
    request: IntakeRequest,
    peer?: PresentedCertificate,
  ): Promise<IntakeOutcome> {
    const started = this.clock();
    let sender = UNAUTHENTICATED_SENDER;
    let outcome: IntakeOutcome;
    try {
      const authorization = request.headers.authorization;
      const credential = this.parts.authenticator.authenticate(
        Array.isArray(authorization) ? authorization[0] : authorization,
        peer,
      );
      if (credential === undefined) {
        throw new IntakeError(
          IntakeErrorCode.Unauthenticated,
          'no valid intake credential: send Authorization: Bearer <token> (or a client certificate)',
        );
      }
      sender = credential.name;
      if (credential.source !== sourceName) {
        throw new IntakeError(
          IntakeErrorCode.WrongSource,
          `credential ${credential.name} may send ${credential.source} events, not ${sourceName}`,
        );
      }
      if (!this.parts.rateLimiter.take(credential.name)) {
        throw new IntakeError(
          IntakeErrorCode.RateLimited,
          `credential ${credential.name} sends too often`,
          1,
        );
      }
      const source = INTAKE_SOURCES[sourceName];
      const value = await rawMessageOf(source, request, this.parts.maxBodyBytes);
      const headers: Record<string, string> = { [INTAKE_HEADERS.sender]: credential.name };
      if (credential.cluster !== undefined) headers[INTAKE_HEADERS.cluster] = credential.cluster;
      if (credential.registry !== undefined) headers[INTAKE_HEADERS.registry] = credential.registry;
      // The writer may move the bytes to another thread: their length is read before.
      const bytes = value.length;
      await this.parts.writer.write(this.parts.topics[source.topic], value, headers);
      outcome = { status: 202, sender, bytes };
    } catch (error) {
      if (!(error instanceof IntakeError)) throw error;
      outcome = { status: intakeHttpStatusOf(error.code), sender, error };
    }
    const bytes = 'bytes' in outcome ? outcome.bytes : 0;
    this.parts.observer?.onRequest(
      sourceName,
      sender,
      outcome.status,
      bytes,
      (this.clock() - started) / 1000,
    );
    return outcome;
  }
}
