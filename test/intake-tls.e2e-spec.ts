import { createHash, randomBytes } from 'node:crypto';
import { expectOrderlyStop, freePort, runUntilExit, startApp, type RunningApp } from './support/app-process';
import { httpsRequest } from './support/https-client';
import { appEnvironment, isolatedNames, kafka, removeIsolated } from './support/local-stack';
import { makeTestPki, type TestPki } from './support/test-pki';
import { readTopic } from './support/topic-records';

/**
 * The intake serving HTTPS itself with a client CA: a sender whose certificate the CA signed is
 * known by its subject and bound like a token's sender; a certificate from another CA, or none,
 * is not; a bearer token still works. Start-up refuses plain HTTP to other machines.
 */
const names = isolatedNames('intake-tls');
const SUBJECT = 'CN=cairn-client,O=Cairn tests';
const token = randomBytes(16).toString('hex');
const CREDENTIALS = [
  { name: 'falco-by-certificate', source: 'falco', cluster: 'edge-1', subject: SUBJECT },
  {
    name: 'falco-by-token',
    source: 'falco',
    cluster: 'edge-2',
    sha256: createHash('sha256').update(token).digest('hex'),
  },
];
const EVENT = JSON.stringify({
  uuid: '5b4c1a2e-0f3d-4e6a-9b8c-7d6e5f4a3b2c',
  output: 'Terminal shell in container',
  priority: 'Notice',
  rule: 'Terminal shell in container',
  time: '2026-11-01T10:00:00.000000000Z',
  output_fields: {},
});

let pki: TestPki;
let intake: RunningApp;

beforeAll(async () => {
  pki = makeTestPki();
  const admin = kafka().admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic: names.topics.runtime, numPartitions: 1 }],
  });
  await admin.disconnect();
  intake = await startApp(
    'intake',
    {
      ...appEnvironment(names),
      CAIRN_INTAKE_HOST: '0.0.0.0',
      CAIRN_INTAKE_TLS_CERT_FILE: pki.serverCert,
      CAIRN_INTAKE_TLS_KEY_FILE: pki.serverKey,
      CAIRN_INTAKE_TLS_CLIENT_CA_FILE: pki.caCert,
      CAIRN_INTAKE_TOKENS: JSON.stringify(CREDENTIALS),
    },
    await freePort(),
  );
}, 90_000);

afterAll(async () => {
  const stopped = await intake?.stop();
  await removeIsolated(names);
  if (stopped) expectOrderlyStop(stopped);
});

const post = (options: { certFile?: string; keyFile?: string; authorization?: string }) =>
  httpsRequest(`${intake.baseUrl}/intake/v1/falco`, {
    caFile: pki.caCert,
    ...(options.certFile && { certFile: options.certFile, keyFile: options.keyFile }),
    headers: {
      'content-type': 'application/json',
      ...(options.authorization && { authorization: options.authorization }),
    },
    body: EVENT,
  });

describe('the intake over HTTPS', () => {
  it("takes a sender by its client certificate's subject, and a token sender, each under its own cluster", async () => {
    expect((await post({ certFile: pki.clientCert, keyFile: pki.clientKey })).status).toBe(202);
    expect((await post({ authorization: `Bearer ${token}` })).status).toBe(202);
    const records = await readTopic(names.topics.runtime, 2);
    expect(
      records
        .map((r) => [r.headers['cairn-intake-sender'], r.headers['cairn-intake-cluster'], r.value])
        .sort(),
    ).toEqual([
      ['falco-by-certificate', 'edge-1', EVENT],
      ['falco-by-token', 'edge-2', EVENT],
    ]);
  });

  it('refuses no credential and a certificate the client CA did not sign (same subject)', async () => {
    const bare = await post({});
    expect(bare.status).toBe(401);
    expect((JSON.parse(bare.body) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    const forged = await post({
      certFile: pki.otherCaCert,
      keyFile: pki.otherCaCert.replace(/\.pem$/, '.key'),
    });
    expect(forged.status).toBe(401);
  });

  it('refuses to start serving plain HTTP to other machines, naming the setting', async () => {
    const result = await runUntilExit('intake', {
      ...appEnvironment(names),
      CAIRN_INTAKE_HOST: '0.0.0.0',
      CAIRN_INTAKE_TOKENS: JSON.stringify([CREDENTIALS[1]]),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('CAIRN_INTAKE_HOST: 0.0.0.0 is reachable from other machines');
  });
});
