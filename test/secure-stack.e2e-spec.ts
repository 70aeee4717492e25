import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Producer } from 'kafkajs';
import { expectOrderlyStop, freePort, runUntilExit, startApp, type RunningApp } from './support/app-process';
import { newToken } from './support/graphql-client';
import { graphqlOverHttps } from './support/https-client';
import {
  appEnvironment,
  eventually,
  isolatedNames,
  removeIsolated,
  stackCommand,
} from './support/local-stack';
import { KAFKA_MTLS_BROKERS, secureEnvironment, secureFile, secureKafka } from './support/secure-stack';
import { makeTestPki, type TestPki } from './support/test-pki';
import { mixedEvents } from './support/workload';

/**
 * Cairn against the secure local stack (`npm run stack -- --secure`): Kafka over SASL_SSL with SCRAM
 * and over mutual TLS, Elasticsearch behind nginx over TLS with basic authentication, an API key or
 * a client certificate, the API serving HTTPS. Refused settings stop a starting process with exit
 * status 1 and a sentence naming the setting.
 */
const names = isolatedNames('secure');
const admin = newToken('secure-admin', 'admin');
const events = mixedEvents(40, { seed: names.id });
const expectedIds = events.flatMap((message) => message.ids);

let strangers: TestPki;
const secure = () => ({ ...appEnvironment(names), ...secureEnvironment() });
const withoutSasl = (env: Record<string, string>) => {
  const { KAFKA_SASL_MECHANISM: _m, KAFKA_SASL_USERNAME: _u, KAFKA_SASL_PASSWORD_FILE: _p, ...rest } = env;
  return rest;
};
const withoutEsPassword = (env: Record<string, string>) => {
  const { ELASTICSEARCH_USERNAME: _u, ELASTICSEARCH_PASSWORD_FILE: _p, ...rest } = env;
  return rest;
};
const file = (name: string, content: string) => {
  const path = join(strangers.dir, name);
  writeFileSync(path, content);
  return path;
};

beforeAll(() => {
  strangers = makeTestPki();
});

afterAll(async () => {
  await removeIsolated(names);
});

describe('produce → ingest → store → GraphQL over HTTPS, every connection encrypted and authenticated', () => {
  let ingest: RunningApp | undefined;
  let api: RunningApp | undefined;
  let producer: Producer | undefined;

  afterAll(async () => {
    await producer?.disconnect();
    const stopped = await Promise.all([api?.stop(), ingest?.stop()]);
    for (const ended of stopped) if (ended) expectOrderlyStop(ended);
  });

  it('stores what was produced over SASL_SSL and answers for it over HTTPS', async () => {
    const env = {
      ...secure(),
      CAIRN_API_TOKENS: JSON.stringify([admin.entry]),
      CAIRN_API_TLS_CERT_FILE: secureFile('server.pem'),
      CAIRN_API_TLS_KEY_FILE: secureFile('server.key'),
    };
    ingest = await startApp('ingest', env, await freePort());
    api = await startApp('api', env, await freePort());
    producer = secureKafka().producer();
    await producer.connect();
    const kafkaAdmin = secureKafka().admin();
    await kafkaAdmin.connect();
    await eventually(
      async () => ((await kafkaAdmin.listTopics()).includes(names.topics.runtime) ? true : undefined),
      'ingest to create its topics over SASL_SSL',
    );
    await kafkaAdmin.disconnect();
    for (const topic of ['orchestrator', 'runtime', 'registry'] as const) {
      const messages = events.filter((m) => m.topic === topic).map((m) => ({ value: m.value }));
      if (messages.length > 0) await producer.send({ topic: names.topics[topic], messages });
    }
    // The polling queries' own access records are events too (source kind CAIRN): left out here.
    const count = await eventually(
      async () => {
        const answer = await graphqlOverHttps<{ events: { totalCount: number } }>(
          api!.baseUrl,
          '{ events(first: 1, filter: { sourceKinds: [ORCHESTRATOR, RUNTIME, REGISTRY] }) { totalCount } }',
          { caFile: secureFile('ca.pem'), token: admin.token },
        );
        const total = answer.json.data?.events.totalCount ?? 0;
        return total >= expectedIds.length ? total : undefined;
      },
      'every event to be stored through nginx and found over HTTPS',
      90_000,
    );
    expect(count).toBe(expectedIds.length);
  }, 180_000);
});

describe('each way real brokers and clusters are secured', () => {
  const variants: [string, () => Record<string, string>][] = [
    ['Kafka SCRAM-SHA-256 over TLS', () => ({ ...secure(), KAFKA_SASL_MECHANISM: 'scram-sha-256' })],
    [
      'Kafka SASL PLAIN over TLS (the Event Hubs recipe)',
      () => ({
        ...secure(),
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_USERNAME: 'cairn-plain',
        KAFKA_SASL_PASSWORD_FILE: secureFile('kafka-plain-password'),
      }),
    ],
    [
      'Kafka mutual TLS without SASL',
      () => ({
        ...withoutSasl(secure()),
        KAFKA_BROKERS: KAFKA_MTLS_BROKERS,
        KAFKA_TLS_CERT_FILE: secureFile('client.pem'),
        KAFKA_TLS_KEY_FILE: secureFile('client.key'),
      }),
    ],
    [
      'Elasticsearch with a client certificate',
      () => ({
        ...withoutEsPassword(secure()),
        ELASTICSEARCH_CERT_FILE: secureFile('client.pem'),
        ELASTICSEARCH_KEY_FILE: secureFile('client.key'),
      }),
    ],
    [
      'Elasticsearch with an API key',
      () => ({ ...withoutEsPassword(secure()), ELASTICSEARCH_API_KEY_FILE: secureFile('es-api-key') }),
    ],
  ];

  it.each(variants)(
    '%s: ingest turns ready',
    async (_name, env) => {
      const ingest = await startApp('ingest', env(), await freePort());
      try {
        await eventually(
          async () => ((await fetch(`${ingest.baseUrl}/readyz`)).status === 200 ? true : undefined),
          'ingest to reach Kafka and Elasticsearch',
          60_000,
        );
      } finally {
        expectOrderlyStop(await ingest.stop());
      }
    },
    90_000,
  );
});

describe('a refused setting stops a starting process, naming the setting', () => {
  const refusals: [string, () => Record<string, string>, RegExp][] = [
    [
      'a CA that did not sign the brokers',
      () => ({ ...secure(), KAFKA_TLS_CA_FILE: strangers.caCert }),
      /Kafka's certificate is not trusted; check KAFKA_TLS_CA_FILE/,
    ],
    [
      'a wrong Kafka password',
      () => ({ ...secure(), KAFKA_SASL_PASSWORD_FILE: file('wrong-kafka-password', 'not-the-password\n') }),
      /Kafka refused the SASL credentials; check KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/,
    ],
    [
      'no client certificate where the brokers require one',
      () => ({ ...withoutSasl(secure()), KAFKA_BROKERS: KAFKA_MTLS_BROKERS }),
      /Kafka refused the client certificate \(or its absence\); check KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE/,
    ],
    [
      'a wrong Elasticsearch password',
      () => ({ ...secure(), ELASTICSEARCH_PASSWORD_FILE: file('wrong-es-password', 'not-the-password\n') }),
      /Elasticsearch refused the credentials; check ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD/,
    ],
    [
      'a CA that did not sign the Elasticsearch proxy',
      () => ({ ...secure(), ELASTICSEARCH_CA_FILE: strangers.caCert }),
      /Elasticsearch's certificate is not trusted; check ELASTICSEARCH_CA_FILE or ELASTICSEARCH_CA_FINGERPRINT/,
    ],
  ];

  it.each(refusals)(
    '%s',
    async (_name, env, message) => {
      const result = await runUntilExit('ingest', env(), 60_000);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      // The secrets themselves never appear.
      for (const secret of ['kafka-password', 'es-password']) {
        const value = readFileSync(secureFile(secret), 'utf8').trim();
        expect(result.stdout + result.stderr).not.toContain(value);
      }
    },
    90_000,
  );
});

describe('a running process that loses a secured dependency', () => {
  let api: RunningApp | undefined;

  afterAll(async () => {
    await stackCommand('start', '--secure');
    const stopped = await api?.stop();
    if (stopped) expectOrderlyStop(stopped);
  });

  it('turns unready while the TLS proxy is down, says why to an admin, and recovers by itself', async () => {
    api = await startApp(
      'api',
      {
        ...secure(),
        CAIRN_API_TOKENS: JSON.stringify([admin.entry]),
        CAIRN_READINESS_THRESHOLD_SECONDS: '1',
      },
      await freePort(),
    );
    const readiness = async () => {
      const response = await fetch(`${api!.baseUrl}/readyz`, {
        headers: { authorization: `Bearer ${admin.token}` },
      });
      return { status: response.status, body: JSON.stringify(await response.json()) };
    };
    await eventually(
      async () => ((await readiness()).status === 200 ? true : undefined),
      'the API to be ready',
    );
    await stackCommand('stop-nginx');
    const down = await eventually(async () => {
      const answer = await readiness();
      return answer.status === 503 ? answer : undefined;
    }, 'readiness to turn 503');
    expect(down.body).toMatch(/elasticsearch/i);
    await stackCommand('start', '--secure');
    await eventually(
      async () => ((await readiness()).status === 200 ? true : undefined),
      'readiness to recover',
      60_000,
    );
  }, 120_000);
});
