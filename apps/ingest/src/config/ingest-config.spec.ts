import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signingKeyEnvironment } from '../../../../test/support/integrity-key';
import { loadIngestConfig as loadIngest } from './ingest-config';
import { configProblems } from '../../../../test/support/config-problems';

const KEY = signingKeyEnvironment();
const loadIngestConfig = (env: Record<string, string | undefined>) => loadIngest({ ...KEY, ...env });

describe('loadIngestConfig', () => {
  it('defaults to the local stack when nothing is set', () => {
    const config = loadIngestConfig({});
    expect(config.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(config.kafka.clientId).toBe('cairn-ingest');
    expect(config.elasticsearch.url).toBe('http://127.0.0.1:9200');
    expect(config.elasticsearch.auth).toBeUndefined();
    expect(config.topics).toEqual({
      orchestrator: 'cairn.raw.orchestrator',
      runtime: 'cairn.raw.runtime',
      registry: 'cairn.raw.registry',
      deadLetter: 'cairn.dlq',
      sources: {},
    });
    expect(config.consumerGroup).toBe('cairn-ingest');
    expect(config.http.port).toBe(4001);
    expect(config.logLevel).toBe('info');
  });

  it('parses a broker list and typed numbers', () => {
    const config = loadIngestConfig({
      KAFKA_BROKERS: 'k1:9092, k2:9093',
      CAIRN_INGEST_PORT: '5001',
      ELASTICSEARCH_REPLICAS: '1',
    });
    expect(config.kafka.brokers).toEqual(['k1:9092', 'k2:9093']);
    expect(config.http.port).toBe(5001);
    expect(config.elasticsearch.replicas).toBe(1);
  });

  it('takes a failpoint only in development mode, and has none by default', () => {
    expect(loadIngestConfig({}).failpoints).toEqual({ normalizerBug: undefined });
    const marker = 'cairn-failpoint-marker';
    expect(
      loadIngestConfig({ CAIRN_MODE: 'development', CAIRN_FAILPOINT_NORMALIZER_BUG: marker }).failpoints,
    ).toEqual({ normalizerBug: marker });
    expect(configProblems(() => loadIngestConfig({ CAIRN_FAILPOINT_NORMALIZER_BUG: marker }))).toEqual([
      'CAIRN_FAILPOINT_NORMALIZER_BUG: a failpoint makes ingest fail on purpose; only with CAIRN_MODE=development',
    ]);
    expect(
      configProblems(() =>
        loadIngestConfig({ CAIRN_MODE: 'development', CAIRN_FAILPOINT_NORMALIZER_BUG: 'x' }),
      ),
    ).toEqual([expect.stringMatching(/^CAIRN_FAILPOINT_NORMALIZER_BUG: must be at least 8 characters/)]);
  });

  it('rejects an empty KAFKA_BROKERS instead of falling back to the default', () => {
    expect(configProblems(() => loadIngestConfig({ KAFKA_BROKERS: '' })).join('\n')).toMatch(
      /^KAFKA_BROKERS: /,
    );
  });

  it('lists every bad setting at once', () => {
    const problems = configProblems(() =>
      loadIngestConfig({
        ELASTICSEARCH_URL: 'not-a-url',
        CAIRN_INGEST_PORT: '70000',
        CAIRN_LOG_LEVEL: 'loud',
        CAIRN_TOPIC_ORCHESTRATOR: 'bad topic',
      }),
    );
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'CAIRN_INGEST_PORT',
      'CAIRN_LOG_LEVEL',
      'CAIRN_TOPIC_ORCHESTRATOR',
      'ELASTICSEARCH_URL',
    ]);
  });

  it('binds raw topics to a source and reads input limits', () => {
    const config = loadIngestConfig({
      CAIRN_TOPIC_RUNTIME_SOURCE: 'falco',
      CAIRN_MAX_FUTURE_SKEW_SECONDS: '60',
    });
    expect(config.topics.sources).toEqual({ 'cairn.raw.runtime': 'falco' });
    expect(config.limits).toEqual({
      maxBytes: 12582912,
      maxDepth: 64,
      maxFutureSkewMs: 60000,
      maxEventAgeMs: 395 * 86_400_000,
      maxEventsPerMessage: 1000,
    });
    const problems = configProblems(() => loadIngestConfig({ CAIRN_TOPIC_REGISTRY_SOURCE: 'quay' }));
    expect(problems[0]).toMatch(/^CAIRN_TOPIC_REGISTRY_SOURCE: must be one of auto, kubernetes, docker/);
  });

  it('refuses a dead-letter topic that is also a raw topic', () => {
    const problems = configProblems(() => loadIngestConfig({ CAIRN_TOPIC_DEAD_LETTER: 'cairn.raw.runtime' }));
    expect(problems[0]).toMatch(/^CAIRN_TOPIC_DEAD_LETTER/);
  });

  it('reads the flow limits that bound ingest memory, and refuses a partition fetch above the whole fetch', () => {
    const config = loadIngestConfig({ CAIRN_BULK_MAX_EVENTS: '500', KAFKA_SESSION_TIMEOUT_MS: '20000' });
    expect(config.flow).toMatchObject({
      bulkMaxEvents: 500,
      bulkMaxBytes: 4 * 1024 * 1024,
      partitionsConcurrency: 3,
      sessionTimeoutMs: 20000,
    });
    expect(config.topicMaxMessageBytes).toBe(8 * 1024 * 1024);
    const problems = configProblems(() =>
      loadIngestConfig({
        KAFKA_FETCH_MAX_BYTES: '1048576',
        KAFKA_FETCH_MAX_BYTES_PER_PARTITION: '2097152',
        CAIRN_PARTITIONS_CONCURRENCY: '0',
        KAFKA_SESSION_TIMEOUT_MS: '1000',
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^CAIRN_PARTITIONS_CONCURRENCY: /),
      expect.stringMatching(/^KAFKA_SESSION_TIMEOUT_MS: /),
      'KAFKA_FETCH_MAX_BYTES_PER_PARTITION: must not exceed KAFKA_FETCH_MAX_BYTES',
    ]);
  });

  it('reads secrets from *_FILE and never echoes them in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-config-'));
    writeFileSync(join(dir, 'key'), 'c2VjcmV0\n');
    const config = loadIngestConfig({ ELASTICSEARCH_API_KEY_FILE: join(dir, 'key') });
    expect(config.elasticsearch.auth).toEqual({ apiKey: 'c2VjcmV0' });

    const problems = configProblems(() =>
      loadIngestConfig({ ELASTICSEARCH_API_KEY: 'top-secret', ELASTICSEARCH_USERNAME: 'elastic' }),
    );
    expect(problems.join('\n')).not.toContain('top-secret');
    expect(problems[0]).toMatch(/^ELASTICSEARCH_API_KEY/);
  });

  it('requires both halves of basic auth and a readable PEM CA file', () => {
    const problems = configProblems(() =>
      loadIngestConfig({ ELASTICSEARCH_USERNAME: 'elastic', ELASTICSEARCH_CA_FILE: '/nonexistent/ca.pem' }),
    );
    expect(problems.sort()).toEqual([
      'ELASTICSEARCH_CA_FILE: TLS settings need an https:// ELASTICSEARCH_URL',
      'ELASTICSEARCH_CA_FILE: cannot read /nonexistent/ca.pem (ENOENT)',
      expect.stringMatching(/^ELASTICSEARCH_USERNAME: /),
    ]);
  });
});

it('reads the compliance scope from CAIRN_CONFIG, naming the setting and the path of each problem', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-scope-'));
  const good = join(dir, 'good.yaml');
  writeFileSync(good, 'compliance:\n  scopes: { PCI_DSS: { namespaces: [payments] } }\n');
  expect(loadIngestConfig({ CAIRN_CONFIG: good }).compliance.scopes.PCI_DSS).toEqual({
    namespaces: ['payments'],
    images: [],
  });
  expect(loadIngestConfig({}).compliance.scopes).toEqual({});
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'compliance:\n  scopes: { SOX: {} }\n');
  expect(configProblems(() => loadIngestConfig({ CAIRN_CONFIG: bad }))).toEqual([
    expect.stringMatching(/^CAIRN_CONFIG \(.*bad\.yaml\): compliance\.scopes\.SOX: unknown framework/),
  ]);
  expect(configProblems(() => loadIngestConfig({ CAIRN_CONFIG: join(dir, 'missing.yaml') }))[0]).toMatch(
    /^CAIRN_CONFIG: cannot read .*missing\.yaml \(ENOENT\)/,
  );
});

it('reads the feed section from CAIRN_CONFIG: no feed topics by default, each problem by its path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-feed-'));
  expect(loadIngestConfig({}).feed).toEqual({ formats: [], topicPrefix: 'cairn.feed', pushes: [] });
  const good = join(dir, 'good.yaml');
  writeFileSync(good, 'feed:\n  formats: [ocsf, cef]\n  hecIndex: audit\n');
  expect(loadIngestConfig({ CAIRN_CONFIG: good }).feed).toEqual({
    formats: ['ocsf', 'cef'],
    topicPrefix: 'cairn.feed',
    hecIndex: 'audit',
    pushes: [],
  });
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'feed:\n  formats: [ocsf, xml, ocsf]\n  topicPrefix: "a b"\n  colour: red\n');
  expect(configProblems(() => loadIngestConfig({ CAIRN_CONFIG: bad }))).toEqual([
    expect.stringMatching(/^CAIRN_CONFIG \(.*bad\.yaml\): feed\.colour: unknown key/),
    expect.stringMatching(/feed\.formats\[1\]: "xml" is not one of ecs, ocsf, cef, leef, hec$/),
    expect.stringMatching(/feed\.formats\[2\]: ocsf is listed twice$/),
    expect.stringMatching(/feed\.topicPrefix: must be 1-200 letters/),
  ]);
  const clash = join(dir, 'clash.yaml');
  writeFileSync(clash, 'feed:\n  formats: [ecs]\n  topicPrefix: cairn.raw\n');
  expect(
    configProblems(() => loadIngestConfig({ CAIRN_CONFIG: clash, CAIRN_TOPIC_RUNTIME: 'cairn.raw.ecs' })),
  ).toEqual([expect.stringMatching(/feed\.topicPrefix: cairn\.raw\.ecs is a raw or dead-letter topic$/)]);
});
