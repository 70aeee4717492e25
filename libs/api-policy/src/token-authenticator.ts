import { createHash, timingSafeEqual } from 'node:crypto';
import { presentedSubject } from '@cairn/transport-security';
import type { ApiRole, ApiToken } from './api-tokens';

export interface Principal {
  readonly name: string;
  readonly role: ApiRole;
}

// RFC 9110: the auth scheme is case-insensitive; the token itself is not.
const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{16,512})$/i;

/** A client certificate as the TLS layer saw it: `authorized` only when the client CA signed it. */
export interface PeerCertificate {
  readonly authorized: boolean;
  readonly subject?: Readonly<Record<string, string | readonly string[] | undefined>>;
}

/**
 * Bearer tokens checked against configured SHA-256 hashes, and client certificates by subject.
 * Every configured hash is compared, in constant time, whatever matched first, so timing says
 * nothing about which token is close. A request that presents a token is decided by it alone.
 */
export class TokenAuthenticator {
  private readonly entries: { principal: Principal; hash: Buffer }[];
  private readonly subjects = new Map<string, Principal>();

  constructor(tokens: readonly ApiToken[]) {
    this.entries = tokens.flatMap((token) =>
      token.sha256
        ? [{ principal: { name: token.name, role: token.role }, hash: Buffer.from(token.sha256, 'hex') }]
        : [],
    );
    for (const token of tokens)
      if (token.subject) this.subjects.set(token.subject, { name: token.name, role: token.role });
  }

  authenticate(authorization: string | undefined, peer?: PeerCertificate): Principal | undefined {
    if (authorization === undefined) {
      // Only a certificate the client CA signed counts; the TLS layer let others through unverified.
      return peer?.authorized ? this.subjects.get(presentedSubject(peer.subject)) : undefined;
    }
    const match = BEARER.exec(authorization);
    if (!match) return undefined;
    const presented = createHash('sha256').update(match[1]).digest();
    let found: Principal | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(presented, entry.hash) && !found) found = entry.principal;
    }
    return found;
  }
}
