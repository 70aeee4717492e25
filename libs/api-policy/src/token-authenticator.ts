import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiRole, ApiToken } from '@cairn/config';

export interface Principal {
  readonly name: string;
  readonly role: ApiRole;
}

// RFC 9110: the auth scheme is case-insensitive; the token itself is not.
const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{16,512})$/i;

/**
 * Bearer tokens checked against configured SHA-256 hashes. Every configured hash is compared, in
 * constant time, whatever matched first, so timing says nothing about which token is close.
 */
export class TokenAuthenticator {
  private readonly entries: { principal: Principal; hash: Buffer }[];

  constructor(tokens: readonly ApiToken[]) {
    this.entries = tokens.map((token) => ({
      principal: { name: token.name, role: token.role },
      hash: Buffer.from(token.sha256, 'hex'),
    }));
  }

  authenticate(authorization: string | undefined): Principal | undefined {
    const match = authorization ? BEARER.exec(authorization) : null;
    if (!match) return undefined;
    const presented = createHash('sha256').update(match[1]).digest();
    let found: Principal | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(presented, entry.hash) && !found) found = entry.principal;
    }
    return found;
  }
}
