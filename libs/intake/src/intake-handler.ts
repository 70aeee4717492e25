import { unwrapDelivery } from './delivery-envelopes';
import { header, rawMessageOf, type IntakeRequest } from './intake-body';
import type { IntakeAuthenticator, IntakeCredential, PresentedCertificate } from './intake-credentials';
import { IntakeError, IntakeErrorCode, intakeHttpStatusOf } from './intake-error';
import {
  INTAKE_SOURCES,
  type IntakeSource,
  type IntakeSourceName,
  type RawTopicRole,
} from './intake-sources';
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
  | { readonly status: 200 | 202; readonly sender: string; readonly bytes: number }
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
    const source = INTAKE_SOURCES[sourceName];
    let sender = UNAUTHENTICATED_SENDER;
    let outcome: IntakeOutcome;
    try {
      const credential = this.authenticated(source, request, peer);
      sender = credential.name;
      this.admit(source, credential);
      const body = await rawMessageOf(source, request, this.parts.maxBodyBytes);
      const payloads = source.envelope
        ? unwrapDelivery(source.envelope, body, this.parts.maxBodyBytes).payloads
        : [body];
      const headers: Record<string, string> = { [INTAKE_HEADERS.sender]: credential.name };
      if (credential.cluster !== undefined) headers[INTAKE_HEADERS.cluster] = credential.cluster;
      if (credential.registry !== undefined) headers[INTAKE_HEADERS.registry] = credential.registry;
      // The writer may move the bytes to another thread: their length is read before.
      const bytes = payloads.reduce((sum, payload) => sum + payload.length, 0);
      await this.parts.writer.write(this.parts.topics[source.topic], payloads, headers);
      outcome = { status: source.acceptedStatus, sender, bytes };
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

  /**
   * The same checks of who sent the request and whether it may send this source, from the headers
   * alone, before a byte of the body is read: an unknown sender cannot make the intake read 12 MiB.
   * Undefined when the request may go on (the body is then read and `accept` decides).
   */
  precheck(
    sourceName: IntakeSourceName,
    request: IntakeRequest,
    peer?: PresentedCertificate,
  ): IntakeOutcome | undefined {
    const source = INTAKE_SOURCES[sourceName];
    let sender = UNAUTHENTICATED_SENDER;
    try {
      const credential = this.authenticated(source, request, peer);
      sender = credential.name;
      this.checkSource(source, credential);
      return undefined;
    } catch (error) {
      if (!(error instanceof IntakeError)) throw error;
      const outcome = { status: intakeHttpStatusOf(error.code), sender, error };
      this.parts.observer?.onRequest(sourceName, sender, outcome.status, 0, 0);
      return outcome;
    }
  }

  /** Who sent the request: its bearer token (or where this source can only put it), or its certificate. */
  private authenticated(
    source: IntakeSource,
    request: IntakeRequest,
    peer?: PresentedCertificate,
  ): IntakeCredential {
    const alternative =
      (source.tokenHeader && header(request, source.tokenHeader)) ||
      (source.queryToken && typeof request.query?.token === 'string' ? request.query.token : undefined);
    const authorization =
      header(request, 'authorization') ?? (alternative ? `Bearer ${alternative}` : undefined);
    const credential = this.parts.authenticator.authenticate(authorization, peer);
    if (credential === undefined) {
      throw new IntakeError(
        IntakeErrorCode.Unauthenticated,
        'no valid intake credential: send Authorization: Bearer <token> (or a client certificate)',
      );
    }
    return credential;
  }

  /** Whether the sender may send this source, and now (which takes one of its rate). */
  private admit(source: IntakeSource, credential: IntakeCredential): void {
    this.checkSource(source, credential);
    if (!this.parts.rateLimiter.take(credential.name))
      throw new IntakeError(IntakeErrorCode.RateLimited, `credential ${credential.name} sends too often`, 1);
  }

  private checkSource(source: IntakeSource, credential: IntakeCredential): void {
    if (credential.source !== source.name) {
      throw new IntakeError(
        IntakeErrorCode.WrongSource,
        `credential ${credential.name} may send ${credential.source} events, not ${source.name}`,
      );
    }
  }
}
