import { freePort, runUntilExit, startApp, expectOrderlyStop, type RunningApp } from './support/app-process';
import { newToken } from './support/graphql-client';
import { graphqlOverHttps, httpsRequest } from './support/https-client';
import { appEnvironment, isolatedNames, removeIsolated } from './support/local-stack';
import { makeTestPki, type TestPki } from './support/test-pki';

/**
 * The API serving HTTPS itself, on the real stack: a client that checks the certificate gets
 * answers with HSTS; a client certificate the client CA signed signs in by its subject (no token);
 * one from another CA, or none, does not; a certificate the client does not trust fails the
 * handshake. Start-up refuses plain HTTP to other machines and a key that is not the certificate's.
 */
const names = isolatedNames('api-tls');
const admin = newToken('tls-admin', 'admin');
const SUBJECT = 'CN=cairn-client,O=Cairn tests';
const QUERY = '{ complianceFrameworks { id } }';

let pki: TestPki;
let api: RunningApp;

beforeAll(async () => {
  pki = makeTestPki();
  api = await startApp(
    'api',
    {
      ...appEnvironment(names),
      CAIRN_API_HOST: '0.0.0.0',
      CAIRN_API_TLS_CERT_FILE: pki.serverCert,
      CAIRN_API_TLS_KEY_FILE: pki.serverKey,
      CAIRN_API_TLS_CLIENT_CA_FILE: pki.caCert,
      CAIRN_API_TOKENS: JSON.stringify([
        admin.entry,
        { name: 'cert-auditor', role: 'auditor', subject: SUBJECT },
      ]),
    },
    await freePort(),
  );
}, 90_000);

afterAll(async () => {
  const stopped = await api?.stop();
  await removeIsolated(names);
  if (stopped) expectOrderlyStop(stopped);
});

describe('the API over HTTPS', () => {
  it('answers a client that checks its certificate, with HSTS', async () => {
    const answer = await graphqlOverHttps<{ complianceFrameworks: unknown[] }>(api.baseUrl, QUERY, {
      caFile: pki.caCert,
      token: admin.token,
    });
    expect(answer.status).toBe(200);
    expect(answer.json.data?.complianceFrameworks.length).toBeGreaterThan(0);
    expect(answer.headers['strict-transport-security']).toBe('max-age=31536000');
    const health = await httpsRequest(`${api.baseUrl}/healthz`, { caFile: pki.caCert });
    expect(health.headers['strict-transport-security']).toBe('max-age=31536000');
  });

  it('signs in a client certificate by its subject, with that subject’s role', async () => {
    const answer = await graphqlOverHttps<{ complianceFrameworks: unknown[] }>(api.baseUrl, QUERY, {
      caFile: pki.caCert,
      certFile: pki.clientCert,
      keyFile: pki.clientKey,
    });
    expect(answer.status).toBe(200);
    expect(answer.json.errors).toBeUndefined();
    // feedStatus is for admin and siem: the role is the subject's (auditor), no one else's.
    const refused = await graphqlOverHttps(api.baseUrl, '{ feedStatus { name } }', {
      caFile: pki.caCert,
      certFile: pki.clientCert,
      keyFile: pki.clientKey,
    });
    expect(refused.json.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses no credential and a certificate from another CA; a distrusted server fails the handshake', async () => {
    const bare = await graphqlOverHttps(api.baseUrl, QUERY, { caFile: pki.caCert });
    expect(bare.status).toBe(401);
    expect(bare.json.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    // Same subject, but a certificate the client CA did not sign: the server's own self-signed one.
    const forged = await graphqlOverHttps(api.baseUrl, QUERY, {
      caFile: pki.caCert,
      certFile: pki.otherCaCert,
      keyFile: pki.otherCaCert.replace(/\.pem$/, '.key'),
    });
    expect(forged.status).toBe(401);
    await expect(httpsRequest(`${api.baseUrl}/healthz`, { caFile: pki.otherCaCert })).rejects.toThrow(
      /self[- ]signed|unable to verify|unable to get local issuer/i,
    );
  });
});

describe('start-up refuses what would serve insecurely or not at all', () => {
  const base = () => ({
    ...appEnvironment(names),
    CAIRN_API_TOKENS: JSON.stringify([admin.entry]),
  });

  it('plain HTTP on an address other machines reach, unless CAIRN_API_TLS=off says so', async () => {
    const result = await runUntilExit('api', { ...base(), CAIRN_API_HOST: '0.0.0.0' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/CAIRN_API_HOST: 0\.0\.0\.0 is reachable from other machines/);
  });

  it('a key that is not the certificate’s, named by its setting', async () => {
    const result = await runUntilExit('api', {
      ...base(),
      CAIRN_API_TLS_CERT_FILE: pki.serverCert,
      CAIRN_API_TLS_KEY_FILE: pki.clientKey,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/CAIRN_API_TLS_KEY_FILE: .*client\.key is not the key of .*server\.pem/);
  });
});
