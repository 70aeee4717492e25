import { createHash } from 'node:crypto';
import { TokenAuthenticator } from './token-authenticator';

const sha = (token: string) => createHash('sha256').update(token).digest('hex');

describe('TokenAuthenticator', () => {
  const authenticator = new TokenAuthenticator([
    { name: 'alice', role: 'investigator', sha256: sha('cairn_alice_token_0123456789') },
    { name: 'audit', role: 'auditor', sha256: sha('cairn_audit_token_0123456789') },
  ]);

  it('recognizes configured tokens by their hash', () => {
    expect(authenticator.authenticate('Bearer cairn_alice_token_0123456789')).toEqual({
      name: 'alice',
      role: 'investigator',
    });
    expect(authenticator.authenticate('Bearer cairn_audit_token_0123456789')).toEqual({
      name: 'audit',
      role: 'auditor',
    });
  });

  it('refuses missing, malformed and unknown credentials', () => {
    for (const header of [
      undefined,
      '',
      'cairn_alice_token_0123456789',
      'Basic YWxpY2U6cHc=',
      'Bearer short',
      'Bearer cairn_mallory_token_01234',
    ]) {
      expect(authenticator.authenticate(header)).toBeUndefined();
    }
  });
});

describe('the Bearer scheme', () => {
  it('is case-insensitive (RFC 9110), the token itself is not', () => {
    const authenticator = new TokenAuthenticator([
      { name: 'alice', role: 'investigator', sha256: sha('cairn_alice_token_0123456789') },
    ]);
    for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
      expect(authenticator.authenticate(`${scheme} cairn_alice_token_0123456789`)?.name).toBe('alice');
    }
    expect(authenticator.authenticate('Bearer CAIRN_ALICE_TOKEN_0123456789')).toBeUndefined();
  });
});

describe('TokenAuthenticator with client certificates', () => {
  const authenticator = new TokenAuthenticator([
    { name: 'alice', role: 'investigator', sha256: sha('cairn_alice_token_0123456789') },
    { name: 'collector', role: 'siem', subject: 'CN=siem-collector,O=Example' },
  ]);
  const collector = { authorized: true, subject: { O: 'Example', CN: 'siem-collector' } };

  it('signs in a verified certificate whose subject is configured, in any attribute order', () => {
    expect(authenticator.authenticate(undefined, collector)).toEqual({ name: 'collector', role: 'siem' });
  });

  it('refuses a certificate the client CA did not sign, an unknown subject, or extra attributes', () => {
    expect(authenticator.authenticate(undefined, { ...collector, authorized: false })).toBeUndefined();
    expect(
      authenticator.authenticate(undefined, { authorized: true, subject: { CN: 'siem-collector' } }),
    ).toBeUndefined();
    expect(
      authenticator.authenticate(undefined, {
        authorized: true,
        subject: { CN: 'siem-collector', O: 'Example', OU: 'Other' },
      }),
    ).toBeUndefined();
  });

  it('decides by the token alone when one is presented, even beside a good certificate', () => {
    expect(authenticator.authenticate('Bearer cairn_mallory_token_01234', collector)).toBeUndefined();
    expect(authenticator.authenticate('Bearer cairn_alice_token_0123456789', collector)).toEqual({
      name: 'alice',
      role: 'investigator',
    });
  });
});
