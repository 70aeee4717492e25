import { createHash } from 'node:crypto';
import { IntakeAuthenticator, parseIntakeCredentials } from './intake-credentials';

const sha = (token: string) => createHash('sha256').update(token).digest('hex');

function parsed(entries: unknown): {
  credentials: ReturnType<typeof parseIntakeCredentials>;
  problems: string[];
} {
  const problems: string[] = [];
  const credentials = parseIntakeCredentials(JSON.stringify(entries), 'CAIRN_INTAKE_TOKENS', problems);
  return { credentials, problems };
}

describe('parseIntakeCredentials', () => {
  it('reads a cluster-bound and a registry-bound sender', () => {
    const { credentials, problems } = parsed([
      { name: 'prod-eu-apiserver', source: 'kubernetes-audit', cluster: 'prod-eu', sha256: sha('a') },
      {
        name: 'harbor-prod',
        source: 'harbor',
        registry: 'harbor.example.com:443',
        subject: 'o=Example, CN=harbor',
      },
    ]);
    expect(problems).toEqual([]);
    expect(credentials).toEqual([
      { name: 'prod-eu-apiserver', source: 'kubernetes-audit', cluster: 'prod-eu', sha256: sha('a') },
      {
        name: 'harbor-prod',
        source: 'harbor',
        registry: 'harbor.example.com:443',
        subject: 'CN=harbor,O=Example',
      },
    ]);
  });

  it('names each problem by index and field', () => {
    const { credentials, problems } = parsed([
      { name: 'a', source: 'syslog', cluster: 'x', sha256: sha('a') },
      { name: 'b', source: 'falco', registry: 'r', sha256: sha('b') },
      { name: 'c', source: 'distribution', registry: 'r', sha256: 'ABC' },
      { name: 'd', source: 'opa', cluster: 'x' },
      { name: 'd', source: 'opa', cluster: 'bad cluster', sha256: sha('a') },
    ]);
    expect(credentials).toEqual([]);
    expect(problems).toEqual([
      expect.stringMatching(/^CAIRN_INTAKE_TOKENS\[0\]\.source: source must be one of kubernetes-audit, /),
      'CAIRN_INTAKE_TOKENS[1]: a falco sender is bound to one cluster: give cluster (and no registry)',
      'CAIRN_INTAKE_TOKENS[2].sha256: sha256 must be 64 lower-case hex characters',
      'CAIRN_INTAKE_TOKENS[3]: give either sha256 (a token) or subject (a client certificate)',
      expect.stringMatching(/^CAIRN_INTAKE_TOKENS\[4\]\.cluster: cluster must be/),
      'CAIRN_INTAKE_TOKENS[4]: the same token hash or subject appears twice',
      'CAIRN_INTAKE_TOKENS[4]: the name "d" is used twice',
    ]);
  });

  it('refuses JSON that is not a non-empty array', () => {
    for (const text of ['{', '[]', '{"name":"a"}']) {
      const problems: string[] = [];
      parseIntakeCredentials(text, 'CAIRN_INTAKE_TOKENS', problems);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^CAIRN_INTAKE_TOKENS: /);
    }
  });
});

describe('IntakeAuthenticator', () => {
  const { credentials } = parsed([
    { name: 'apiserver', source: 'kubernetes-audit', cluster: 'prod-eu', sha256: sha('secret-one') },
    { name: 'falco', source: 'falco', cluster: 'prod-eu', subject: 'CN=falco,O=prod' },
  ]);
  const authenticator = new IntakeAuthenticator(credentials);

  it('finds a sender by bearer token, and by Basic credentials whose password is the token', () => {
    expect(authenticator.authenticate('Bearer secret-one')?.name).toBe('apiserver');
    expect(authenticator.authenticate('bearer secret-one')?.name).toBe('apiserver');
    const basic = `Basic ${Buffer.from('falco:secret-one').toString('base64')}`;
    expect(authenticator.authenticate(basic)?.name).toBe('apiserver');
  });

  it('refuses unknown tokens, other schemes and empty passwords', () => {
    expect(authenticator.authenticate('Bearer secret-two')).toBeUndefined();
    expect(authenticator.authenticate('secret-one')).toBeUndefined();
    expect(authenticator.authenticate(`Basic ${Buffer.from('user:').toString('base64')}`)).toBeUndefined();
    expect(authenticator.authenticate(undefined)).toBeUndefined();
  });

  it('takes a client certificate only when the CA signed it', () => {
    const subject = { O: 'prod', CN: 'falco' } as never;
    expect(authenticator.authenticate(undefined, { authorized: true, subject })?.name).toBe('falco');
    expect(authenticator.authenticate(undefined, { authorized: false, subject })).toBeUndefined();
    expect(
      authenticator.authenticate(undefined, { authorized: true, subject: { CN: 'other' } }),
    ).toBeUndefined();
  });
});
