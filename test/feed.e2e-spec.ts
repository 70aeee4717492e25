import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEventDocument } from '@cairn/event-schema';
import { SIEM_FORMATS } from '@cairn/siem-formats';
import { startCairn, type CairnUnderTest } from './support/cairn-under-test';
import { newToken } from './support/graphql-client';
import { elasticsearch, eventually, isolatedNames } from './support/local-stack';
import { OcsfSchema } from './support/ocsf-schema';
import { readTopic, type TopicRecord } from './support/topic-records';
import { badFixtureMessages, mixedEvents } from './support/workload';

/**
 * The SIEM feed topics on the real stack: every stored event reaches every configured format's
 * topic once, keyed by its id, encoded from what was stored; bad input reaches none of them.
 */
const names = isolatedNames('feed');
const prefix = `e2e.${names.id}.feed`;
const good = mixedEvents(240, { seed: names.id });
const bad = badFixtureMessages();
const expectedIds = new Set(good.flatMap((message) => message.ids));

let cairn: CairnUnderTest;
let stored: Map<string, AuditEventDocument>;
const records = new Map<string, TopicRecord[]>();

beforeAll(async () => {
  const config = join(mkdtempSync(join(tmpdir(), 'cairn-feed-')), 'cairn.yaml');
  writeFileSync(
    config,
    [
      'compliance:',
      '  scopes: { PCI_DSS: { namespaces: [payments] } }',
      'feed:',
      `  formats: [${SIEM_FORMATS.join(', ')}]`,
      `  topicPrefix: ${prefix}`,
      '  hecIndex: audit',
      '',
    ].join('\n'),
  );
  cairn = await startCairn(names, {
    CAIRN_CONFIG: config,
    CAIRN_API_TOKENS: JSON.stringify([newToken('e2e-feed', 'admin').entry]),
  });
  // Ingest creates the feed topics after the raw ones: wait for them before reading them.
  const feedTopics = SIEM_FORMATS.map((format) => `${prefix}.${format}`);
  await eventually(async () => {
    const topics = new Set(await cairn.admin.listTopics());
    return feedTopics.every((topic) => topics.has(topic)) ? true : undefined;
  }, 'ingest to create the feed topics');
  const byTopic = new Map<string, typeof good>();
  for (const message of [...good, ...bad]) {
    const topic = names.topics[message.topic];
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), message]);
  }
  for (const [topic, messages] of byTopic) {
    await cairn.producer.send({ topic, messages: messages.map((message) => ({ value: message.value })) });
  }
  for (const format of SIEM_FORMATS)
    records.set(format, await readTopic(`${prefix}.${format}`, expectedIds.size));
  stored = await storedDocuments(expectedIds.size);
}, 240_000);

afterAll(async () => cairn?.stop());

async function storedDocuments(count: number): Promise<Map<string, AuditEventDocument>> {
  const es = elasticsearch();
  try {
    return await eventually(async () => {
      await es.indices.refresh({ index: `${names.indexPrefix}-*` });
      const found = await es.search<AuditEventDocument>({ index: `${names.indexPrefix}-*`, size: 10_000 });
      const documents = found.hits.hits.map((hit) => hit._source!);
      return documents.length >= count ? new Map(documents.map((d) => [d.event.id, d])) : undefined;
    }, `${count} stored events`);
  } finally {
    await es.close();
  }
}

describe('SIEM feed topics', () => {
  it.each(SIEM_FORMATS)('%s: every stored event once, keyed by its id, and nothing else', (format) => {
    const keys = records.get(format)!.map((record) => record.key);
    expect(keys).toHaveLength(expectedIds.size);
    expect(new Set(keys)).toEqual(expectedIds);
    expect(new Set(stored.keys())).toEqual(expectedIds);
    for (const record of records.get(format)!) expect(record.headers['cairn.feed.format']).toBe(format);
  });

  it('ecs records are the stored documents, as stored', () => {
    for (const record of records.get('ecs')!) {
      expect(JSON.parse(record.value)).toEqual(stored.get(record.key));
    }
  });

  it('ocsf records are valid OCSF 1.8.0 and carry the event id and its controls', () => {
    const schema = new OcsfSchema();
    for (const record of records.get('ocsf')!) {
      const event = JSON.parse(record.value) as { metadata: { uid: string; labels?: string[] } };
      expect(schema.validate(event)).toEqual([]);
      expect(event.metadata.uid).toBe(record.key);
      const controls = stored.get(record.key)!.cairn.compliance?.controls ?? [];
      expect(event.metadata.labels ?? []).toEqual(controls);
    }
  });

  it('cef and leef records name the event id; hec records carry the index and the stored document', () => {
    for (const record of records.get('cef')!) expect(record.value).toContain(` flexString1=${record.key} `);
    for (const record of records.get('leef')!) expect(record.value).toContain(`\teventId=${record.key}\t`);
    for (const record of records.get('hec')!) {
      const event = JSON.parse(record.value) as { index: string; event: AuditEventDocument };
      expect(event.index).toBe('audit');
      expect(event.event).toEqual(stored.get(record.key));
    }
  });

  it('every stored event says where it was read: topic, partition, offset, item', () => {
    const rawTopics = new Set(Object.values(names.topics));
    for (const document of stored.values()) {
      const position = document.cairn.position!;
      expect(rawTopics.has(position.topic)).toBe(true);
      expect(Number.isInteger(position.offset) && position.offset >= 0).toBe(true);
      expect(position.item).toBeGreaterThanOrEqual(0);
    }
    const positions = [...stored.values()].map(({ cairn: { position } }) => JSON.stringify(position));
    expect(new Set(positions).size).toBe(positions.length);
  });
});
