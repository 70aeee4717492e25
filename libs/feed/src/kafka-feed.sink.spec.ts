import type { Producer, ProducerBatch } from 'kafkajs';
import type { AuditEventDocument } from '@cairn/event-schema';
import { KafkaFeedSink } from './kafka-feed.sink';

const document = (id: string, original?: string): AuditEventDocument => ({
  '@timestamp': '2026-05-01T10:00:00.000Z',
  event: {
    id,
    kind: 'event',
    action: 'pods.get',
    outcome: 'success',
    ingested: '2026-05-01T10:00:01.000Z',
    original,
  },
  cairn: {
    source_kind: 'ORCHESTRATOR',
    product: 'kubernetes',
    schema_version: '1',
    ...(original !== undefined && { original: { size: original.length, truncated: false } }),
  },
});

function recordingProducer() {
  const batches: ProducerBatch[] = [];
  const producer = {
    sendBatch: async (batch: ProducerBatch) => void batches.push(batch),
  } as unknown as Producer;
  return { producer, batches };
}

describe('KafkaFeedSink', () => {
  it('writes each event once per format to <prefix>.<format>, keyed by id, with acks from every replica', async () => {
    const { producer, batches } = recordingProducer();
    const sink = new KafkaFeedSink(
      producer,
      { formats: ['ecs', 'cef'], topicPrefix: 'cairn.feed', pushes: [] },
      1024 * 1024,
    );
    await sink.publish([document('a'), document('b')]);
    expect(batches).toHaveLength(1);
    expect(batches[0].acks).toBe(-1);
    expect(batches[0].topicMessages!.map((topic) => topic.topic)).toEqual([
      'cairn.feed.ecs',
      'cairn.feed.cef',
    ]);
    const [ecs, cef] = batches[0].topicMessages!;
    expect(ecs.messages.map((message) => message.key)).toEqual(['a', 'b']);
    expect(JSON.parse(String(ecs.messages[0].value))).toEqual(document('a'));
    expect(String(cef.messages[1].value)).toMatch(/^CEF:0\|Cairn\|kubernetes\|1\|pods\.get\|/);
    expect(cef.messages[1].headers).toEqual({ 'cairn.feed.format': 'cef', 'cairn.product': 'kubernetes' });
  });

  it('sends nothing without formats or events', async () => {
    const { producer, batches } = recordingProducer();
    await new KafkaFeedSink(
      producer,
      { formats: [], topicPrefix: 'cairn.feed', pushes: [] },
      1024 * 1024,
    ).publish([document('a')]);
    await new KafkaFeedSink(
      producer,
      { formats: ['ecs'], topicPrefix: 'cairn.feed', pushes: [] },
      1024 * 1024,
    ).publish([]);
    expect(batches).toEqual([]);
  });

  it('writes an event over the topic limit without event.original, and says so', async () => {
    const { producer, batches } = recordingProducer();
    const sink = new KafkaFeedSink(
      producer,
      { formats: ['ecs'], topicPrefix: 'cairn.feed', pushes: [] },
      40 * 1024,
    );
    await sink.publish([document('big', '\u0001'.repeat(8 * 1024)), document('small', 'x')]);
    const [big, small] = batches[0].topicMessages![0].messages;
    const lighter = JSON.parse(String(big.value)) as AuditEventDocument;
    expect(lighter.event.original).toBeUndefined();
    expect(lighter.cairn.original).toEqual({ size: 8 * 1024, truncated: true });
    expect(big.headers).toMatchObject({ 'cairn.feed.original_omitted': 'true' });
    expect((JSON.parse(String(small.value)) as AuditEventDocument).event.original).toBe('x');
    expect(small.headers).not.toHaveProperty('cairn.feed.original_omitted');
  });
});
