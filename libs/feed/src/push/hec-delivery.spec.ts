import type { AuditEventDocument } from '@cairn/event-schema';
import { HecDelivery, HecRefusedError } from './hec-delivery';

const document = (id: string): AuditEventDocument => ({
  '@timestamp': '2026-05-01T10:00:00.500Z',
  event: { id, kind: 'event', action: 'pods.get', outcome: 'success', ingested: '2026-05-01T10:00:01.000Z' },
  cairn: { source_kind: 'ORCHESTRATOR', product: 'kubernetes', schema_version: '1' },
});

function scripted(answers: [number, string][]) {
  const calls: { url: string; headers: Record<string, string>; body?: string }[] = [];
  const fetch = async (url: string, init: { headers: Record<string, string>; body?: string }) => {
    calls.push({ url, headers: init.headers, body: init.body });
    const [status, text] = answers[Math.min(calls.length - 1, answers.length - 1)];
    return { status, text: async () => text };
  };
  return { fetch, calls };
}

const target = {
  transport: 'hec' as const,
  url: 'https://splunk:8088',
  tokenEnv: 'T',
  ack: false,
  index: 'audit',
};

describe('HecDelivery', () => {
  it('posts the events concatenated, with the token, and takes HEC success as delivered', async () => {
    const { fetch, calls } = scripted([[200, '{"text":"Success","code":0}']]);
    await new HecDelivery(target, 'secret-token', fetch).deliver([document('a'), document('b')]);
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe('https://splunk:8088/services/collector/event');
    expect(calls[0].headers.authorization).toBe('Splunk secret-token');
    const events = calls[0]
      .body!.split(/(?<=\})(?=\{"time")/)
      .map((part) => JSON.parse(part) as { index: string });
    expect(events).toHaveLength(2);
    expect(events[0].index).toBe('audit');
  });

  it('fails the batch on any other answer, naming the status', async () => {
    const { fetch } = scripted([[503, '{"text":"Server is busy","code":9}']]);
    await expect(new HecDelivery(target, 't', fetch).deliver([document('a')])).rejects.toThrow(
      new HecRefusedError(503, '{"text":"Server is busy","code":9}'),
    );
  });

  it('with acknowledgement, waits until the batch is indexed, on its own channel', async () => {
    const { fetch, calls } = scripted([
      [200, '{"text":"Success","code":0,"ackId":7}'],
      [200, '{"acks":{"7":false}}'],
      [200, '{"acks":{"7":true}}'],
    ]);
    const delivery = new HecDelivery({ ...target, ack: true }, 't', fetch, { sleep: async () => undefined });
    await delivery.deliver([document('a')]);
    expect(calls.map((call) => call.url.replace('https://splunk:8088', ''))).toEqual([
      '/services/collector/event',
      '/services/collector/ack',
      '/services/collector/ack',
    ]);
    expect(calls[1].body).toBe('{"acks":[7]}');
    expect(calls[0].headers['x-splunk-request-channel']).toMatch(/^[0-9a-f-]{36}$/);
    expect(calls[2].headers['x-splunk-request-channel']).toBe(calls[0].headers['x-splunk-request-channel']);
  });

  it('fails a batch never acknowledged in time, and one without an ackId', async () => {
    const never = scripted([
      [200, '{"ackId":1}'],
      [200, '{"acks":{"1":false}}'],
    ]);
    const waiting = new HecDelivery({ ...target, ack: true }, 't', never.fetch, { ackTimeoutMs: 0 });
    await expect(waiting.deliver([document('a')])).rejects.toThrow('not acknowledged');
    const bare = scripted([[200, '{"text":"Success","code":0}']]);
    await expect(
      new HecDelivery({ ...target, ack: true }, 't', bare.fetch).deliver([document('a')]),
    ).rejects.toThrow('no ackId');
  });
});
