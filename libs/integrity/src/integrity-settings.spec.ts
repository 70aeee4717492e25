import { generateKeyPairSync } from 'node:crypto';
import { keyIdOf } from './checkpoint';
import { integrityConfigOf, type IntegrityRole } from './integrity-settings';

const signing = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
const FILES: Record<string, string> = {
  '/keys/signing.pem': signing.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  '/keys/public.pem': [signing.publicKey, other.publicKey]
    .map((k) => k.export({ type: 'spki', format: 'pem' }))
    .join(''),
  '/keys/rsa.pem': rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  '/keys/junk.pem': 'not a key',
};
const read = (path: string) => {
  if (!(path in FILES)) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
  return FILES[path];
};

function load(env: Record<string, string>, role: IntegrityRole = 'ingest') {
  const problems: string[] = [];
  const config = integrityConfigOf(env, role, read, problems);
  return { config, problems };
}

describe('integrity settings', () => {
  it('ingest signs with the key file; defaults to one checkpoint a minute and a verification an hour', () => {
    const { config, problems } = load({ CAIRN_INTEGRITY_KEY_FILE: '/keys/signing.pem' });
    expect(problems).toEqual([]);
    expect(config.signingKey?.id).toBe(keyIdOf(signing.publicKey));
    expect([...config.trustedKeys.keys()]).toEqual([keyIdOf(signing.publicKey)]);
    expect(config).toMatchObject({
      enabled: true,
      checkpointSeconds: 60,
      verifySeconds: 3600,
      verifyThreads: 3,
    });
  });

  it('refuses to start ingest without a key, naming the setting; CAIRN_INTEGRITY=off is the way out', () => {
    expect(load({}).problems).toEqual([expect.stringMatching(/^CAIRN_INTEGRITY_KEY_FILE: ingest signs/)]);
    expect(load({ CAIRN_INTEGRITY: 'off' })).toMatchObject({ problems: [], config: { enabled: false } });
    expect(load({ CAIRN_INTEGRITY: 'maybe' }).problems[0]).toMatch(/^CAIRN_INTEGRITY: must be on or off/);
  });

  it('names an unreadable, non-key or non-Ed25519 key file', () => {
    expect(load({ CAIRN_INTEGRITY_KEY_FILE: '/keys/none.pem' }).problems).toEqual([
      'CAIRN_INTEGRITY_KEY_FILE: cannot read /keys/none.pem (ENOENT)',
    ]);
    expect(load({ CAIRN_INTEGRITY_KEY_FILE: '/keys/junk.pem' }).problems[0]).toMatch(
      /is not a PEM private key/,
    );
    expect(load({ CAIRN_INTEGRITY_KEY_FILE: '/keys/rsa.pem' }).problems[0]).toMatch(
      /holds a rsa key; an Ed25519 key is needed/,
    );
  });

  it('the API signs its access chain with its key and trusts the public key file too (several keys, for rotation)', () => {
    const { config, problems } = load(
      { CAIRN_INTEGRITY_KEY_FILE: '/keys/signing.pem', CAIRN_INTEGRITY_PUBLIC_KEY_FILE: '/keys/public.pem' },
      'api',
    );
    expect(problems).toEqual([]);
    expect(config.trustedKeys.size).toBe(2);
    expect(config.signingKey?.id).toBe(keyIdOf(signing.publicKey));
    expect(load({ CAIRN_INTEGRITY_PUBLIC_KEY_FILE: '/keys/public.pem' }, 'api').problems).toEqual([
      expect.stringMatching(/^CAIRN_INTEGRITY_KEY_FILE: the API chains its access records/),
    ]);
    expect(
      load(
        { CAIRN_INTEGRITY_KEY_FILE: '/keys/signing.pem', CAIRN_INTEGRITY_PUBLIC_KEY_FILE: '/keys/junk.pem' },
        'api',
      ).problems[0],
    ).toMatch(/holds no PEM public key/);
    expect(load({}, 'command').problems).toEqual([]);
  });

  it('names a bad interval', () => {
    const { problems } = load({
      CAIRN_INTEGRITY: 'off',
      CAIRN_INTEGRITY_CHECKPOINT_SECONDS: '0',
      CAIRN_INTEGRITY_VERIFY_SECONDS: 'x',
      CAIRN_INTEGRITY_VERIFY_THREADS: '65',
    });
    expect(problems).toEqual([
      'CAIRN_INTEGRITY_CHECKPOINT_SECONDS: must be a whole number from 1 to 86400 (got "0")',
      'CAIRN_INTEGRITY_VERIFY_SECONDS: must be a whole number from 0 to 604800 (got "x")',
      'CAIRN_INTEGRITY_VERIFY_THREADS: must be a whole number from 0 to 64 (got "65")',
    ]);
  });
});
