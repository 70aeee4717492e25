import { createHash, timingSafeEqual } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import { plainToInstance } from 'class-transformer';
import { IsIn, IsOptional, Matches, MaxLength, MinLength, validateSync } from 'class-validator';
import { normalSubject, presentedSubject } from '@cairn/transport-security';
import { INTAKE_SOURCE_NAMES, INTAKE_SOURCES, type IntakeSourceName } from './intake-sources';

/** Cluster and registry names end up in stored events; the same rule as Kafka client ids, plus ":". */
const BOUND_NAME = /^[A-Za-z0-9._:-]{1,253}$/;
const SUBJECT = /^ *[A-Za-z]+ *=[^,=]+(?:, *[A-Za-z]+ *=[^,=]+)*$/;

/** One entry of CAIRN_INTAKE_TOKENS as configured. */
export class IntakeCredentialEntry {
  @MinLength(1)
  @MaxLength(100)
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'name must be letters, digits, ".", "_" or "-"' })
  name!: string;

  @IsIn(INTAKE_SOURCE_NAMES, { message: `source must be one of ${INTAKE_SOURCE_NAMES.join(', ')}` })
  source!: IntakeSourceName;

  @IsOptional()
  @Matches(BOUND_NAME, { message: 'cluster must be 1-253 letters, digits, ".", "_", ":" or "-"' })
  cluster?: string;

  @IsOptional()
  @Matches(BOUND_NAME, { message: 'registry must be 1-253 letters, digits, ".", "_", ":" or "-"' })
  registry?: string;

  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lower-case hex characters' })
  sha256?: string;

  @IsOptional()
  @MaxLength(1000)
  @Matches(SUBJECT, { message: 'subject must be RDNs such as CN=apiserver,O=prod-eu' })
  subject?: string;
}

/** A sender: its name, its one source, and the cluster or registry its events are recorded under. */
export interface IntakeCredential {
  readonly name: string;
  readonly source: IntakeSourceName;
  readonly cluster?: string;
  readonly registry?: string;
  readonly sha256?: string;
  /** A client certificate's subject, normalized (sorted TYPE=value pairs). */
  readonly subject?: string;
}

/** Parses CAIRN_INTAKE_TOKENS; each problem is appended, named by setting, index and field. */
export function parseIntakeCredentials(
  json: string,
  setting: string,
  problems: string[],
): IntakeCredential[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    problems.push(`${setting}: not valid JSON (expected an array of {"name","source","cluster","sha256"})`);
    return [];
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    problems.push(
      `${setting}: must be a non-empty JSON array of {"name","source","cluster"|"registry","sha256"}`,
    );
    return [];
  }
  const credentials: IntakeCredential[] = [];
  const keys = new Set<string>();
  const names = new Set<string>();
  parsed.forEach((item: unknown, index) => {
    const at = `${setting}[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push(`${at}: must be an object`);
      return;
    }
    const entry = plainToInstance(IntakeCredentialEntry, item);
    const found = validateSync(entry, { forbidUnknownValues: true }).map(
      (error) => `${at}.${error.property}: ${Object.values(error.constraints ?? {}).join('; ')}`,
    );
    const binding = INTAKE_SOURCES[entry.source]?.binding;
    if (binding === 'cluster' && (entry.cluster === undefined || entry.registry !== undefined))
      found.push(`${at}: a ${entry.source} sender is bound to one cluster: give cluster (and no registry)`);
    if (binding === 'registry' && (entry.registry === undefined || entry.cluster !== undefined))
      found.push(`${at}: a ${entry.source} sender is bound to one registry: give registry (and no cluster)`);
    if ((entry.sha256 === undefined) === (entry.subject === undefined))
      found.push(`${at}: give either sha256 (a token) or subject (a client certificate)`);
    const key = entry.sha256 ?? `subject:${normalSubject(entry.subject ?? '')}`;
    if (keys.has(key)) found.push(`${at}: the same token hash or subject appears twice`);
    // Metrics, rate limits and stored events know a sender by name: two credentials must not share one.
    if (names.has(entry.name)) found.push(`${at}: the name "${entry.name}" is used twice`);
    keys.add(key);
    names.add(entry.name);
    problems.push(...found);
    if (found.length > 0) return;
    credentials.push({
      name: entry.name,
      source: entry.source,
      ...(entry.cluster !== undefined && { cluster: entry.cluster }),
      ...(entry.registry !== undefined && { registry: entry.registry }),
      ...(entry.sha256 !== undefined && { sha256: entry.sha256 }),
      ...(entry.subject !== undefined && { subject: normalSubject(entry.subject) }),
    });
  });
  return credentials;
}

/** A client certificate as the TLS layer saw it: `authorized` only when the client CA signed it. */
export interface PresentedCertificate {
  readonly authorized: boolean;
  readonly subject?: PeerCertificate['subject'];
}

/**
 * Finds the sender of a request: a bearer token (or Basic credentials whose password is the token,
 * for senders such as Falco's http_output that can only put credentials in the URL), checked against
 * SHA-256 hashes in constant time; or a client certificate the CA signed, by subject.
 */
export class IntakeAuthenticator {
  private readonly hashed: { hash: Buffer; credential: IntakeCredential }[];
  private readonly bySubject = new Map<string, IntakeCredential>();

  constructor(credentials: readonly IntakeCredential[]) {
    this.hashed = credentials
      .filter((credential) => credential.sha256 !== undefined)
      .map((credential) => ({ hash: Buffer.from(credential.sha256!, 'hex'), credential }));
    for (const credential of credentials)
      if (credential.subject !== undefined) this.bySubject.set(credential.subject, credential);
  }

  authenticate(authorization: string | undefined, peer?: PresentedCertificate): IntakeCredential | undefined {
    const token = tokenOf(authorization);
    if (token === undefined) {
      return peer?.authorized ? this.bySubject.get(presentedSubject(peer.subject)) : undefined;
    }
    const presented = createHash('sha256').update(token).digest();
    let found: IntakeCredential | undefined;
    // Every hash is compared, so the time taken does not say which (or whether one) matched.
    for (const entry of this.hashed) {
      if (timingSafeEqual(presented, entry.hash) && found === undefined) found = entry.credential;
    }
    return found;
  }
}

function tokenOf(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const bearer = /^Bearer +([^\s]+) *$/i.exec(authorization);
  if (bearer) return bearer[1];
  const basic = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(authorization);
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  return password === '' ? undefined : password;
}
