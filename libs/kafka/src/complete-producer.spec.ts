import {
  Partitioners,
  type Message,
  type PartitionMetadata,
  type ProducerBatch,
  type RecordMetadata,
} from 'kafkajs';
import { sendCompletely, stickyPartitioner } from './complete-producer';

/**
 * A producer that answers like kafkajs after a leader died mid-send: the first time, partitions
 * listed in `skipOnce` are neither sent nor answered for, and the send still resolves.
 */
function producerSkipping(skipOnce: readonly number[], partitionOf: (message: Message) => number) {
  const sent: { topic: string; partition: number; value: string }[] = [];
  let calls = 0;
  return {
    sent,
    calls: () => calls,
    sendBatch: (batch: ProducerBatch): Promise<RecordMetadata[]> => {
      calls += 1;
      const answered = new Set<string>();
      const answer: RecordMetadata[] = [];
      for (const { topic, messages } of batch.topicMessages ?? []) {
        for (const message of messages) {
          const partition = message.partition ?? partitionOf(message);
          if (calls === 1 && skipOnce.includes(partition)) continue;
          sent.push({ topic, partition, value: String(message.value) });
          if (answered.has(`${topic}/${partition}`)) continue;
          answered.add(`${topic}/${partition}`);
          answer.push({ topicName: topic, partition, errorCode: 0, baseOffset: '0' });
        }
      }
      return Promise.resolve(answer);
    },
  };
}

const messages = (count: number): Message[] =>
  Array.from({ length: count }, (_, i) => ({ value: `m${i}`, partition: undefined }));

describe('sendCompletely', () => {
  // Where the partitioner put each message: by its number, over three partitions.
  const partitionOf = (message: Message) => Number(String(message.value).slice(1)) % 3;

  it('sends again, to the same partition, what an answer left out', async () => {
    const producer = producerSkipping([1], partitionOf);
    const batch = { acks: -1, topicMessages: [{ topic: 'raw', messages: messages(9) }] };
    const answer = await sendCompletely(producer, batch, partitionOf);
    expect(producer.calls()).toBe(2);
    expect(producer.sent.map((entry) => entry.value).sort()).toEqual(
      messages(9)
        .map((m) => m.value)
        .sort(),
    );
    expect(producer.sent.filter((entry) => entry.partition === 1).map((entry) => entry.value)).toEqual([
      'm1',
      'm4',
      'm7',
    ]);
    expect(answer.map((entry) => entry.partition).sort()).toEqual([0, 1, 2]);
  });

  it('sends once when every partition answered', async () => {
    const producer = producerSkipping([], partitionOf);
    await sendCompletely(producer, { topicMessages: [{ topic: 'raw', messages: messages(6) }] }, partitionOf);
    expect(producer.calls()).toBe(1);
    expect(producer.sent).toHaveLength(6);
  });

  it('fails, retriably, when a partition never answers', async () => {
    const never = {
      sendBatch: () =>
        Promise.resolve([{ topicName: 'raw', partition: 0, errorCode: 0 }] as RecordMetadata[]),
    };
    const batch = { topicMessages: [{ topic: 'raw', messages: messages(3) }] };
    await expect(sendCompletely(never, batch, partitionOf)).rejects.toThrow(
      '2 messages were not acknowledged after 5 resends',
    );
  });

  it('compares nothing with acks 0, where no partition answers', async () => {
    const silent = { sendBatch: jest.fn(() => Promise.resolve([] as RecordMetadata[])) };
    await sendCompletely(
      silent,
      { acks: 0, topicMessages: [{ topic: 'raw', messages: messages(3) }] },
      partitionOf,
    );
    expect(silent.sendBatch).toHaveBeenCalledTimes(1);
  });
});

describe('stickyPartitioner', () => {
  const partitionMetadata = [0, 1, 2].map(
    (partitionId) =>
      ({ partitionId, leader: partitionId, replicas: [], isr: [] }) as unknown as PartitionMetadata,
  );

  it('gives a message asked about again the partition it was first given, as kafkajs asks on every retry', () => {
    const { createPartitioner, partitionOf } = stickyPartitioner(Partitioners.DefaultPartitioner);
    const partitioner = createPartitioner();
    const keyless: Message[] = Array.from({ length: 5 }, (_, i) => ({ value: `m${i}` }));
    const first = keyless.map((message) => partitioner({ topic: 'raw', partitionMetadata, message }));
    // The default partitioner deals keyless messages round-robin: asked again (5 over 3), it moves them.
    const unsticky = Partitioners.DefaultPartitioner();
    const moved = keyless.map((message) => unsticky({ topic: 'raw', partitionMetadata, message }));
    const again = keyless.map((message) => unsticky({ topic: 'raw', partitionMetadata, message }));
    expect(again).not.toEqual(moved);
    expect(keyless.map((message) => partitioner({ topic: 'raw', partitionMetadata, message }))).toEqual(
      first,
    );
    expect(keyless.map(partitionOf)).toEqual(first);
    expect(partitionOf({ value: 'never seen' })).toBeUndefined();
  });
});
