import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@elastic/elasticsearch';
import { Kafka, logLevel } from 'kafkajs';

export const REPO = join(__dirname, '..', '..');
export const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
export const ELASTICSEARCH_URL = process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200';

export const kafka = () =>
  new Kafka({ clientId: 'cairn-e2e', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
export const elasticsearch = () => new Client({ nodes: ELASTICSEARCH_URL.split(',') });

/** Names no other test run uses, so runs never see each other's events. */
export function isolatedNames(label: string) {
  const id = `${label}-${randomBytes(4).toString('hex')}`;
  return {
    id,
    topics: {
      orchestrator: `e2e.${id}.orchestrator`,
      runtime: `e2e.${id}.runtime`,
      registry: `e2e.${id}.registry`,
      deadLetter: `e2e.${id}.dlq`,
    },
    group: `e2e-${id}`,
    indexPrefix: `cairn-e2e-${id}`,
  };
}

export type IsolatedNames = ReturnType<typeof isolatedNames>;

/** One checkpoint signing key for a test run (Ed25519, PKCS#8 PEM), shared by its processes. */
export const TEST_INTEGRITY_KEY_FILE = join(tmpdir(), `cairn-e2e-signing-key-${process.pid}.pem`);

function testIntegrityKey(): string {
  if (!existsSync(TEST_INTEGRITY_KEY_FILE)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(TEST_INTEGRITY_KEY_FILE, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      mode: 0o600,
    });
  }
  return TEST_INTEGRITY_KEY_FILE;
}

/** Each run's checkpoint log, outside the repository. */
export function checkpointDirOf(names: IsolatedNames): string {
  return join(tmpdir(), 'cairn-e2e-checkpoints', names.id);
}

/** The environment an app gets in a test: the local stack, the isolated names, fast refresh. */
const TEST_CURSOR_SECRET = randomBytes(32).toString('hex');
export const TEST_MAX_EVENT_AGE_DAYS = 3650;

export function appEnvironment(names: IsolatedNames): Record<string, string> {
  return {
    KAFKA_BROKERS,
    ELASTICSEARCH_URL,
    ELASTICSEARCH_INDEX_PREFIX: names.indexPrefix,
    ELASTICSEARCH_REFRESH_INTERVAL: '1s',
    CAIRN_TOPIC_ORCHESTRATOR: names.topics.orchestrator,
    CAIRN_TOPIC_RUNTIME: names.topics.runtime,
    CAIRN_TOPIC_REGISTRY: names.topics.registry,
    CAIRN_TOPIC_DEAD_LETTER: names.topics.deadLetter,
    KAFKA_CONSUMER_GROUP: names.group,
    // Tests run the API as deployed: production mode, with a cursor secret of their own.
    CAIRN_CURSOR_SECRET: TEST_CURSOR_SECRET,
    // The fixtures carry fixed 2026 dates; the default bound (retention + 30 days) would refuse
    // them as they age. The hostile-input suite checks the bound itself.
    CAIRN_MAX_EVENT_AGE_DAYS: String(TEST_MAX_EVENT_AGE_DAYS),
    CAIRN_LOG_LEVEL: 'warn',
    CAIRN_INTEGRITY_KEY_FILE: testIntegrityKey(),
    CAIRN_INTEGRITY_CHECKPOINT_DIR: checkpointDirOf(names),
  };
}

export async function removeIsolated(names: IsolatedNames): Promise<void> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    // The isolated topics, and any the apps made under the same name (the feed topics).
    const own = new Set<string>(Object.values(names.topics));
    const topics = (await admin.listTopics()).filter(
      (topic) => own.has(topic) || topic.startsWith(`e2e.${names.id}.`),
    );
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
  const client = elasticsearch();
  try {
    const indices = Object.keys(
      await client.indices.get({ index: `${names.indexPrefix}-*`, allow_no_indices: true }),
    );
    // The local stack refuses wildcard deletes; indices are named one by one.
    for (const index of indices) await client.indices.delete({ index });
    await client.indices.delete({ index: `${names.indexPrefix}.identities` }, { ignore: [404] });
    await client.indices.delete({ index: `${names.indexPrefix}.checkpoints` }, { ignore: [404] });
    await client.indices.delete({ index: `${names.indexPrefix}.pagings` }, { ignore: [404] });
    await client.indices.deleteIndexTemplate({ name: names.indexPrefix }, { ignore: [404] });
  } finally {
    await client.close();
  }
  rmSync(checkpointDirOf(names), { recursive: true, force: true });
}

const run = promisify(execFile);

export async function stackCommand(
  command:
    | 'start'
    | 'stop-elasticsearch'
    | 'stop-kafka'
    | 'stop-nginx'
    | 'freeze-elasticsearch'
    | 'thaw-elasticsearch'
    | 'status',
  ...options: '--secure'[]
): Promise<string> {
  const { stdout } = await run('bash', [join(REPO, 'tools/local-stack/stack.sh'), command, ...options], {
    timeout: 240_000,
  });
  return stdout;
}

export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 60_000,
  pollMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  const reason = last instanceof Error ? `: ${last.message}` : '';
  throw new Error(`timed out waiting for ${what}${reason}`);
}
