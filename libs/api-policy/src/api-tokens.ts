import { plainToInstance } from 'class-transformer';
import { IsIn, IsOptional, Matches, MaxLength, MinLength, validateSync } from 'class-validator';
import { normalSubject } from '@cairn/transport-security';

export const API_ROLES = ['admin', 'investigator', 'auditor', 'siem'] as const;
export type ApiRole = (typeof API_ROLES)[number];

/** RDNs as `CN=name,O=org`: attribute types in letters, values without "," or "=". */
export const CERTIFICATE_SUBJECT = /^ *[A-Za-z]+ *=[^,=]+(?:, *[A-Za-z]+ *=[^,=]+)*$/;

/**
 * One API credential: a bearer token, of which only the SHA-256 is configured (the token itself
 * never is), or a client certificate's subject (HTTPS with a client CA).
 */
export class ApiTokenEntry {
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @IsIn(API_ROLES, { message: `role must be one of ${API_ROLES.join(', ')}` })
  role!: ApiRole;

  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lower-case hex characters' })
  sha256?: string;

  @IsOptional()
  @MaxLength(1000)
  @Matches(CERTIFICATE_SUBJECT, { message: 'subject must be RDNs such as CN=siem-collector,O=Example' })
  subject?: string;
}

/** Parses the JSON array of CAIRN_API_TOKENS; problems are appended, named by setting and index. */
export function parseApiTokens(json: string, setting: string, problems: string[]): ApiTokenEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    problems.push(`${setting}: not valid JSON (expected an array of {"name","role","sha256"})`);
    return [];
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    problems.push(`${setting}: must be a non-empty JSON array of {"name","role","sha256"}`);
    return [];
  }
  const entries = parsed.map((item) => plainToInstance(ApiTokenEntry, item as object));
  const seen = new Set<string>();
  const names = new Set<string>();
  entries.forEach((entry, index) => {
    if (typeof entry !== 'object' || entry === null) {
      problems.push(`${setting}[${index}]: must be an object`);
      return;
    }
    for (const error of validateSync(entry, { forbidUnknownValues: true })) {
      problems.push(
        `${setting}[${index}].${error.property}: ${Object.values(error.constraints ?? {}).join('; ')}`,
      );
    }
    if ((entry.sha256 === undefined) === (entry.subject === undefined))
      problems.push(`${setting}[${index}]: give either sha256 (a token) or subject (a client certificate)`);
    const key = entry.sha256 ?? `subject:${normalSubject(entry.subject ?? '')}`;
    if (seen.has(key)) problems.push(`${setting}[${index}]: the same token hash or subject appears twice`);
    seen.add(key);
    // Access records and rate limits know a caller by its token's name: two tokens must not share one.
    if (names.has(entry.name)) problems.push(`${setting}[${index}]: the name "${entry.name}" is used twice`);
    names.add(entry.name);
  });
  return entries;
}

/** A credential as the authenticator holds it. */
export interface ApiToken {
  readonly name: string;
  readonly role: ApiRole;
  /** A bearer token's SHA-256 (hex). */
  readonly sha256?: string;
  /** Or a client certificate's subject, normalized (normalSubject). */
  readonly subject?: string;
}

export function toApiToken(entry: ApiTokenEntry): ApiToken {
  return {
    name: entry.name,
    role: entry.role,
    ...(entry.sha256 && { sha256: entry.sha256 }),
    ...(entry.subject && { subject: normalSubject(entry.subject) }),
  };
}
