import { makeTestPki, type TestPki } from '../../../../test/support/test-pki';
import { signingKeyEnvironment } from '../../../../test/support/integrity-key';
import { loadApiConfig as loadApi } from './api-config';
import { configProblems } from '../../../../test/support/config-problems';

const KEY = signingKeyEnvironment();
const loadApiConfig = (env: Record<string, string | undefined>) => loadApi({ ...KEY, ...env });

const HASH = 'a'.repeat(64);
const TOKENS = JSON.stringify([{ name: 'alice', role: 'investigator', sha256: HASH }]);
const API = { CAIRN_API_TOKENS: TOKENS, CAIRN_CURSOR_SECRET: 'c'.repeat(64) };

let pki: TestPki;
beforeAll(() => {
  pki = makeTestPki();
});

describe('loadApiConfig', () => {
  it('requires API tokens, naming the setting', () => {
    expect(configProblems(() => loadApiConfig({ CAIRN_CURSOR_SECRET: API.CAIRN_CURSOR_SECRET }))[0]).toMatch(
      /^CAIRN_API_TOKENS: no API tokens configured/,
    );
  });

  it('accepts hashed tokens with a role', () => {
    const config = loadApiConfig(API);
    expect(config.tokens).toEqual([{ name: 'alice', role: 'investigator', sha256: HASH }]);
    expect(config.http.port).toBe(4000);
    // Production unless told otherwise.
    expect(config.production).toBe(true);
    expect(loadApiConfig({ ...API, CAIRN_MODE: 'development' }).production).toBe(false);
  });

  it('refuses to start in production without a cursor secret, naming the setting', () => {
    expect(configProblems(() => loadApiConfig({ CAIRN_API_TOKENS: TOKENS }))).toEqual([
      expect.stringMatching(/^CAIRN_CURSOR_SECRET: required in production/),
    ]);
  });

  it('refuses two tokens with one name', () => {
    const twice = JSON.stringify([
      { name: 'alice', role: 'investigator', sha256: HASH },
      { name: 'alice', role: 'admin', sha256: 'b'.repeat(64) },
    ]);
    expect(configProblems(() => loadApiConfig({ ...API, CAIRN_API_TOKENS: twice }))).toEqual([
      'CAIRN_API_TOKENS[1]: the name "alice" is used twice',
    ]);
  });

  it('reads trusted proxies as addresses and CIDR ranges, and refuses anything else', () => {
    expect(loadApiConfig(API).trustedProxies).toEqual([]);
    expect(loadApiConfig({ ...API, CAIRN_API_TRUSTED_PROXIES: '10.0.0.0/8, ::1' }).trustedProxies).toEqual([
      '10.0.0.0/8',
      '::1',
    ]);
    expect(configProblems(() => loadApiConfig({ ...API, CAIRN_API_TRUSTED_PROXIES: '10.0.0.0/33' }))).toEqual(
      [expect.stringMatching(/^CAIRN_API_TRUSTED_PROXIES: "10.0.0.0\/33"/)],
    );
    expect(
      configProblems(() => loadApiConfig({ ...API, CAIRN_API_TRUSTED_PROXIES: 'proxy.local' }))[0],
    ).toMatch(/^CAIRN_API_TRUSTED_PROXIES: must be/);
  });

  it('rejects malformed token entries by index', () => {
    const problems = configProblems(() =>
      loadApiConfig({
        ...API,
        CAIRN_API_TOKENS: JSON.stringify([{ name: 'x', role: 'root', sha256: 'abc' }]),
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^CAIRN_API_TOKENS\[0\]\.role: /),
      expect.stringMatching(/^CAIRN_API_TOKENS\[0\]\.sha256: /),
    ]);
    expect(configProblems(() => loadApiConfig({ ...API, CAIRN_API_TOKENS: '{' }))[0]).toMatch(
      /not valid JSON/,
    );
  });

  it('rejects a bad API port', () => {
    const problems = configProblems(() => loadApiConfig({ ...API, CAIRN_API_PORT: 'abc' }));
    expect(problems[0]).toMatch(/^CAIRN_API_PORT: /);
  });

  it('reads the query hardening limits and refuses ones that would disable them', () => {
    const config = loadApiConfig(API);
    expect([config.queryTimeoutMs, config.maxQueryCost]).toEqual([10_000, 30_000]);
    const problems = configProblems(() =>
      loadApiConfig({
        ...API,
        CAIRN_API_QUERY_TIMEOUT_MS: '0',
        CAIRN_API_MAX_QUERY_COST: '1e9',
      }),
    );
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'CAIRN_API_MAX_QUERY_COST',
      'CAIRN_API_QUERY_TIMEOUT_MS',
    ]);
  });

  it('takes a cursor secret of at least 32 bytes, never echoing it', () => {
    const secret = 's'.repeat(32);
    expect(loadApiConfig({ CAIRN_API_TOKENS: TOKENS, CAIRN_CURSOR_SECRET: secret }).cursorSecret).toBe(
      secret,
    );
    expect(
      loadApiConfig({ CAIRN_API_TOKENS: TOKENS, CAIRN_MODE: 'development' }).cursorSecret,
    ).toBeUndefined();
    const problems = configProblems(() =>
      loadApiConfig({ CAIRN_API_TOKENS: TOKENS, CAIRN_CURSOR_SECRET: 'short-one' }),
    );
    expect(problems).toEqual([expect.stringMatching(/^CAIRN_CURSOR_SECRET: must be at least 32 bytes/)]);
    expect(problems.join()).not.toContain('short-one');
  });
});

describe('API transport settings', () => {
  it('serves plain HTTP on loopback by default, and HTTPS with a certificate and key', () => {
    expect(loadApiConfig(API).http).toEqual({ host: '127.0.0.1', port: 4000 });
    const http = loadApiConfig({
      ...API,
      CAIRN_API_HOST: '0.0.0.0',
      CAIRN_API_TLS_CERT_FILE: pki.serverCert,
      CAIRN_API_TLS_KEY_FILE: pki.serverKey,
      CAIRN_API_TLS_CLIENT_CA_FILE: pki.caCert,
    }).http;
    expect(http.tls?.cert).toContain('BEGIN CERTIFICATE');
    expect(http.tls?.clientCa).toContain('BEGIN CERTIFICATE');
    expect(
      loadApiConfig({ ...API, CAIRN_API_HOST: '0.0.0.0', CAIRN_API_TLS: 'off' }).http.tls,
    ).toBeUndefined();
  });

  it('refuses plain HTTP to other machines unless chosen, and names each bad file', () => {
    expect(configProblems(() => loadApiConfig({ ...API, CAIRN_API_HOST: '0.0.0.0' }))).toEqual([
      'CAIRN_API_HOST: 0.0.0.0 is reachable from other machines; serve HTTPS (CAIRN_API_TLS_CERT_FILE, ' +
        'CAIRN_API_TLS_KEY_FILE) or set CAIRN_API_TLS=off to serve plain HTTP on purpose',
    ]);
    expect(configProblems(() => loadApiConfig({ ...API, CAIRN_API_TLS: 'on' }))).toEqual([
      'CAIRN_API_TLS: on needs CAIRN_API_TLS_CERT_FILE and CAIRN_API_TLS_KEY_FILE',
    ]);
    expect(
      configProblems(() =>
        loadApiConfig({
          ...API,
          CAIRN_API_TLS_CERT_FILE: pki.serverCert,
          CAIRN_API_TLS_KEY_FILE: pki.clientKey,
          CAIRN_API_TLS_CLIENT_CA_FILE: pki.serverKey,
        }),
      ),
    ).toEqual([
      expect.stringMatching(/^CAIRN_API_TLS_KEY_FILE: .*client\.key is not the key of .*server\.pem$/),
      expect.stringMatching(/^CAIRN_API_TLS_CLIENT_CA_FILE: .*server\.key holds no PEM certificate$/),
    ]);
    expect(
      configProblems(() =>
        loadApiConfig({ ...API, CAIRN_API_TLS: 'off', CAIRN_API_TLS_CERT_FILE: pki.serverCert }),
      ),
    ).toEqual([
      'CAIRN_API_TLS_CERT_FILE: set, but CAIRN_API_TLS=off serves plain HTTP; remove it or turn TLS on',
    ]);
  });

  it('maps certificate subjects to roles only when client certificates are verified', () => {
    const tokens = JSON.stringify([
      { name: 'collector', role: 'siem', subject: 'O=Example, CN=siem-collector' },
    ]);
    const config = loadApiConfig({
      ...API,
      CAIRN_API_TOKENS: tokens,
      CAIRN_API_TLS_CERT_FILE: pki.serverCert,
      CAIRN_API_TLS_KEY_FILE: pki.serverKey,
      CAIRN_API_TLS_CLIENT_CA_FILE: pki.caCert,
    });
    expect(config.tokens).toEqual([
      { name: 'collector', role: 'siem', subject: 'CN=siem-collector,O=Example' },
    ]);
    expect(configProblems(() => loadApiConfig({ ...API, CAIRN_API_TOKENS: tokens }))).toEqual([
      'CAIRN_API_TOKENS[0].subject: client certificates need HTTPS with CAIRN_API_TLS_CLIENT_CA_FILE',
    ]);
    const both = JSON.stringify([{ name: 'x', role: 'siem', subject: 'CN=x', sha256: 'a'.repeat(64) }]);
    expect(configProblems(() => loadApiConfig({ ...API, CAIRN_API_TOKENS: both }))).toEqual(
      expect.arrayContaining([
        'CAIRN_API_TOKENS[0]: give either sha256 (a token) or subject (a client certificate)',
      ]),
    );
  });
});
