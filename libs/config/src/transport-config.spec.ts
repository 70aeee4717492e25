import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTestPki, type TestPki } from '../../../test/support/test-pki';
import { ConfigError } from './config.error';
import type { Environment } from './environment';
import { CommonSettings } from './settings';
import { elasticsearchConfig, kafkaConfig } from './transport-config';
import { validateSettings } from './validate-settings';
import { configProblems } from '../../../test/support/config-problems';

/** The transports as every process reads them; each app's own loader adds its sections. */
function loadTransports(env: Environment) {
  const problems: string[] = [];
  const settings = validateSettings(CommonSettings, env, problems);
  const kafka = kafkaConfig(settings, env, 'ingest', problems);
  const elasticsearch = elasticsearchConfig(settings, env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return { kafka, elasticsearch };
}

let pki: TestPki;
beforeAll(() => {
  pki = makeTestPki();
});

describe('Kafka transport settings', () => {
  it('is plain text by default, and TLS with SASL over it when configured', () => {
    expect(loadTransports({}).kafka).toEqual({ brokers: ['127.0.0.1:9092'], clientId: 'cairn-ingest' });
    const kafka = loadTransports({
      KAFKA_BROKERS: 'kafka-1:9093,kafka-2:9093',
      KAFKA_TLS_CA_FILE: pki.caCert,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'cairn',
      KAFKA_SASL_PASSWORD: 'hunter2-but-longer',
    }).kafka;
    expect(kafka.tls?.ca).toContain('BEGIN CERTIFICATE');
    expect(kafka.tls?.cert).toBeUndefined();
    expect(kafka.sasl).toEqual({
      mechanism: 'scram-sha-512',
      username: 'cairn',
      password: 'hunter2-but-longer',
    });
  });

  it('takes mutual TLS without SASL, the password from a file, and TLS with the system CAs', () => {
    const mtls = loadTransports({
      KAFKA_TLS_CA_FILE: pki.caCert,
      KAFKA_TLS_CERT_FILE: pki.clientCert,
      KAFKA_TLS_KEY_FILE: pki.clientKey,
      KAFKA_TLS_SERVER_NAME: 'kafka.internal',
    }).kafka;
    expect(mtls.tls).toMatchObject({ serverName: 'kafka.internal' });
    expect(mtls.tls?.key).toContain('PRIVATE KEY');
    expect(mtls.sasl).toBeUndefined();

    const secret = join(pki.dir, 'kafka-password');
    writeFileSync(secret, 'from-a-file\n');
    // Azure Event Hubs: SASL PLAIN over TLS, the public CAs, the connection string as password.
    const hubs = loadTransports({
      KAFKA_BROKERS: 'cairn.servicebus.windows.net:9093',
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: '$ConnectionString',
      KAFKA_SASL_PASSWORD_FILE: secret,
    }).kafka;
    expect(hubs.tls).toEqual({});
    expect(hubs.sasl).toEqual({ mechanism: 'plain', username: '$ConnectionString', password: 'from-a-file' });
  });

  it('names every problem by its setting, and never shows a secret', () => {
    const problems = configProblems(() =>
      loadTransports({
        KAFKA_SASL_MECHANISM: 'gssapi',
        KAFKA_TLS_CA_FILE: join(pki.dir, 'missing.pem'),
        KAFKA_TLS_CERT_FILE: pki.clientCert,
        KAFKA_TLS_KEY_FILE: pki.strayKey,
        KAFKA_TLS: 'maybe',
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'KAFKA_TLS: must be true or false (got "maybe")',
        'KAFKA_SASL_MECHANISM: must be one of plain, scram-sha-256, scram-sha-512 (got "gssapi")',
        expect.stringMatching(/^KAFKA_TLS_CA_FILE: cannot read .*missing\.pem \(ENOENT\)$/),
        expect.stringMatching(/^KAFKA_TLS_KEY_FILE: .*stray\.key is not the key of .*client\.pem$/),
      ]),
    );

    const secretProblems = configProblems(() =>
      loadTransports({ KAFKA_SASL_PASSWORD: 'do-not-print-me', KAFKA_SASL_USERNAME: 'cairn' }),
    );
    expect(secretProblems).toEqual([
      'KAFKA_SASL_PASSWORD: a password without KAFKA_SASL_MECHANISM is never used; set the mechanism',
      'KAFKA_SASL_USERNAME: a user name without KAFKA_SASL_MECHANISM is never used; set the mechanism',
    ]);
    expect(secretProblems.join('\n')).not.toContain('do-not-print-me');

    expect(
      configProblems(() => loadTransports({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'cairn' })),
    ).toEqual([
      'KAFKA_SASL_MECHANISM: plain needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE)',
    ]);
    expect(
      configProblems(() =>
        loadTransports({
          KAFKA_TLS: 'false',
          KAFKA_SASL_MECHANISM: 'plain',
          KAFKA_SASL_USERNAME: 'cairn',
          KAFKA_SASL_PASSWORD: 'x',
        }),
      ),
    ).toEqual([
      'KAFKA_SASL_MECHANISM: plain over plain text sends the password as it is; use TLS (KAFKA_TLS=true)',
    ]);
    expect(
      configProblems(() => loadTransports({ KAFKA_TLS: 'false', KAFKA_TLS_CA_FILE: pki.caCert })),
    ).toEqual(['KAFKA_TLS: false, but KAFKA_TLS_* files are set; remove them or turn TLS on']);
    expect(configProblems(() => loadTransports({ KAFKA_TLS_CERT_FILE: pki.clientCert }))).toEqual([
      'KAFKA_TLS_CERT_FILE: a certificate needs its key (KAFKA_TLS_KEY_FILE), and a key its certificate',
    ]);
  });

  it('checks that files parse: a key is not a certificate, a certificate not a key', () => {
    const garbled = join(pki.dir, 'garbled.pem');
    writeFileSync(garbled, '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n');
    expect(
      configProblems(() =>
        loadTransports({
          KAFKA_TLS_CA_FILE: pki.clientKey,
          KAFKA_TLS_CERT_FILE: garbled,
          KAFKA_TLS_KEY_FILE: pki.clientCert,
        }),
      ),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^KAFKA_TLS_CA_FILE: .*client\.key holds no PEM certificate$/),
        expect.stringMatching(
          /^KAFKA_TLS_CERT_FILE: .*garbled\.pem holds a certificate that does not parse$/,
        ),
        expect.stringMatching(/^KAFKA_TLS_KEY_FILE: .*client\.pem holds no PEM private key$/),
      ]),
    );
  });
});

describe('Elasticsearch transport settings', () => {
  const fingerprint = 'ab'.repeat(32);

  it("takes a cluster's nodes, comma-separated, and refuses a mix of schemes or a bad one", () => {
    const nodes = 'http://127.0.0.1:19200, http://127.0.0.1:19201,http://127.0.0.1:19202';
    expect(loadTransports({ ELASTICSEARCH_URL: nodes }).elasticsearch).toMatchObject({
      url: 'http://127.0.0.1:19200',
      nodes: ['http://127.0.0.1:19200', 'http://127.0.0.1:19201', 'http://127.0.0.1:19202'],
    });
    expect(
      configProblems(() => loadTransports({ ELASTICSEARCH_URL: 'http://a:9200,https://b:9200' })),
    ).toEqual(['ELASTICSEARCH_URL: the nodes must all be http:// or all https://']);
    expect(
      configProblems(() => loadTransports({ ELASTICSEARCH_URL: 'http://a:9200,,http://b:9200' }))[0],
    ).toMatch(/^ELASTICSEARCH_URL: must be an http:\/\/ or https:\/\/ URL/);
  });

  it('takes a CA file or fingerprint, a client certificate, and an API key', () => {
    const elasticsearch = loadTransports({
      ELASTICSEARCH_URL: 'https://es.internal:9200',
      ELASTICSEARCH_CA_FILE: pki.caCert,
      ELASTICSEARCH_CA_FINGERPRINT: fingerprint,
      ELASTICSEARCH_CERT_FILE: pki.clientCert,
      ELASTICSEARCH_KEY_FILE: pki.clientKey,
      ELASTICSEARCH_API_KEY: 'a2V5OnNlY3JldA==',
    }).elasticsearch;
    expect(elasticsearch.caCertificate).toContain('BEGIN CERTIFICATE');
    expect(elasticsearch.caFingerprint).toBe(`${'AB:'.repeat(31)}AB`);
    expect(elasticsearch.clientCertificate?.key).toContain('PRIVATE KEY');
    expect(elasticsearch.auth).toEqual({ apiKey: 'a2V5OnNlY3JldA==' });
  });

  it('refuses TLS settings over http:// and a certificate without its key, each by its setting', () => {
    expect(
      configProblems(() =>
        loadTransports({
          ELASTICSEARCH_CA_FINGERPRINT: 'xyz',
          ELASTICSEARCH_CERT_FILE: pki.clientCert,
        }),
      ),
    ).toEqual(
      expect.arrayContaining([
        'ELASTICSEARCH_CA_FINGERPRINT: must be a SHA-256 fingerprint: 64 hex digits, colons allowed (AB:CD:…) (got "xyz")',
        'ELASTICSEARCH_CERT_FILE: a certificate needs its key (ELASTICSEARCH_KEY_FILE), and a key its certificate',
        'ELASTICSEARCH_CERT_FILE: TLS settings need an https:// ELASTICSEARCH_URL',
      ]),
    );
    expect(configProblems(() => loadTransports({ ELASTICSEARCH_CA_FINGERPRINT: fingerprint }))).toEqual([
      'ELASTICSEARCH_CA_FINGERPRINT: TLS settings need an https:// ELASTICSEARCH_URL',
    ]);
  });
});
