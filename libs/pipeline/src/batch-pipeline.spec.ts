import type { AuditEventDocument } from '@cairn/event-schema';
import type { WriteResult } from '@cairn/elasticsearch-store';
import type { DeadLetter } from '@cairn/kafka';
import { DEFAULT_NORMALIZE_OPTIONS, type NormalizeOptions } from '@cairn/normalizers';
import { BatchPipeline } from './batch-pipeline';
import {
  NO_OBSERVER,
  type BatchContext,
  type PipelineLog,
  type PipelineObserver,
  type RawMessage,
} from './pipeline.types';
import type { DeadLetterSink } from './sinks/dead-letter.sink';
import type { FeedSink } from './sinks/feed.sink';
import { RetryingStore, type DocumentWriter } from './sinks/store.sink';
import { NormalizingDecoder } from './steps/decode.step';

const event = (auditID: string) =>
  JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    auditID,
    stage: 'ResponseComplete',
    verb: 'get',
    objectRef: { resource: 'pods', namespace: 'default', name: 'web' },
    responseStatus: { code: 200 },
    stageTimestamp: '2026-05-01T10:00:00.000000Z',
  });

interface Options {
  readonly normalize?: NormalizeOptions;
  readonly tag?: (document: AuditEventDocument) => AuditEventDocument;
  readonly observer?: PipelineObserver;
  readonly maxDocumentsPerBulk?: number;
  readonly failpoint?: (bytes: Buffer) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly feed?: FeedSink;
}

/** The pipeline as ingest wires it: normalizing decoder, an optional tag step, the retrying store. */
function build(writer: DocumentWriter, deadLetters: DeadLetterSink, log: PipelineLog, options: Options = {}) {
  const { observer, sleep, baseDelayMs, maxDelayMs, maxDocumentsPerBulk } = options;
  return new BatchPipeline({
    decoder: new NormalizingDecoder(log, { normalize: options.normalize, failpoint: options.failpoint }),
    steps: options.tag ? [{ name: 'tag', apply: options.tag }] : [],
    store: new RetryingStore(writer, log, { observer, sleep, baseDelayMs, maxDelayMs, maxDocumentsPerBulk }),
    deadLetters,
    feed: options.feed,
    log,
    observer,
  });
}

const message = (offset: number, value: string | null): RawMessage => ({
  key: null,
  value: value === null ? null : Buffer.from(value),
  offset: String(offset),
});

const context = (running = true): BatchContext => ({
  topic: 'cairn.raw.orchestrator',
  partition: 2,
  heartbeat: jest.fn(async () => undefined),
  isRunning: () => running,
  pause: jest.fn(() => resumed),
});
const resumed = jest.fn();

/** The shape of @elastic/transport's ResponseError, as far as the pipeline reads it. */
const httpError = (statusCode: number, text: string) =>
  Object.assign(new Error(text), { meta: { statusCode } });

class ScriptedWriter {
  calls: AuditEventDocument[][] = [];
  constructor(private readonly script: ((docs: readonly AuditEventDocument[]) => WriteResult[] | Error)[]) {}
  async write(documents: readonly AuditEventDocument[]): Promise<WriteResult[]> {
    this.calls.push([...documents]);
    const step = this.script[Math.min(this.calls.length - 1, this.script.length - 1)](documents);
    if (step instanceof Error) throw step;
    return step;
  }
}

class RecordingSink {
  letters: DeadLetter[] = [];
  async send(letters: readonly DeadLetter[]) {
    this.letters.push(...letters);
  }
}

const silentObserver = NO_OBSERVER;

const quiet = { warn: () => undefined, error: () => undefined };
const noSleep = async () => undefined;
const all = (status: 'created' | 'duplicate') => (docs: readonly AuditEventDocument[]) =>
  docs.map(() => ({ status }));

describe('BatchPipeline', () => {
  it('stores good events and dead-letters bad input with its original bytes, then commits past both', async () => {
    const writer = new ScriptedWriter([all('created')]);
    const sink = new RecordingSink();
    const pipeline = build(writer, sink, quiet, { sleep: noSleep });
    const outcome = await pipeline.process(
      [message(10, event('a')), message(11, '{not json'), message(12, null), message(13, '{"kind":0}')],
      context(),
    );
    expect(outcome).toEqual({ commitOffset: '14', stored: 1, duplicates: 0, deadLettered: 3 });
    expect(sink.letters.map((l) => [l.sourceOffset, l.code])).toEqual([
      ['11', 'MALFORMED_JSON'],
      ['12', 'EMPTY_MESSAGE'],
      ['13', 'UNRECOGNIZED_SOURCE'],
    ]);
    expect(sink.letters[0].value?.toString()).toBe('{not json');
    expect(sink.letters[0]).toMatchObject({
      sourceTopic: 'cairn.raw.orchestrator',
      sourcePartition: 2,
      attempts: 1,
    });
  });

  it('stores each event with what the tag step adds (compliance controls), untagged input untouched', async () => {
    const writer = new ScriptedWriter([all('created')]);
    const tag = (document: AuditEventDocument): AuditEventDocument => ({
      ...document,
      cairn: {
        ...document.cairn,
        compliance: { controls: [`seen:${document.event.action}`], version: 'v-test' },
      },
    });
    const pipeline = build(writer, new RecordingSink(), quiet, { sleep: noSleep, tag });
    await pipeline.process([message(0, event('a')), message(1, '{not json')], context());
    expect(writer.calls).toHaveLength(1);
    expect(writer.calls[0].map((document) => document.cairn.compliance)).toEqual([
      { controls: ['seen:pods.get'], version: 'v-test' },
    ]);
  });

  it('tells its observer what became of every message and document', async () => {
    const seen: string[] = [];
    const observer = {
      onBatch: (topic: string, n: number) => seen.push(`batch ${topic} ${n}`),
      onWrite: () => seen.push('write'),
      onStored: (n: number) => seen.push(`stored ${n}`),
      onDuplicate: (n: number) => seen.push(`duplicate ${n}`),
      onRetry: (n: number) => seen.push(`retry ${n}`),
      onDeadLetter: (code: string) => seen.push(`dead ${code}`),
      onPause: (delta: number) => seen.push(`pause ${delta}`),
    };
    const writer = new ScriptedWriter([
      (docs) => docs.map(() => ({ status: 'retryable', httpStatus: 503, reason: 'unavailable' })),
      (docs) => docs.map((_, i) => ({ status: i === 0 ? 'created' : 'duplicate' })),
    ]);
    const pipeline = build(writer, new RecordingSink(), quiet, { sleep: noSleep, observer });
    await pipeline.process([message(0, event('a')), message(1, event('b')), message(2, '')], context());
    expect(seen).toEqual([
      'batch cairn.raw.orchestrator 3',
      'write',
      'pause 1',
      'retry 2',
      'write',
      'pause -1',
      'dead EMPTY_MESSAGE',
      'stored 1',
      'duplicate 1',
    ]);
  });

  it('counts 409 as already stored, not as a failure', async () => {
    const pipeline = build(new ScriptedWriter([all('duplicate')]), new RecordingSink(), quiet);
    const outcome = await pipeline.process([message(0, event('a'))], context());
    expect(outcome).toEqual({ commitOffset: '1', stored: 0, duplicates: 1, deadLettered: 0 });
  });

  it('retries only the items Elasticsearch could not take yet, then whole failed requests', async () => {
    const writer = new ScriptedWriter([
      (docs) =>
        docs.map((_, i) =>
          i === 0 ? { status: 'created' } : { status: 'retryable', httpStatus: 429, reason: 'busy' },
        ),
      () => new Error('connect ECONNREFUSED'),
      all('created'),
    ]);
    const ctx = context();
    const outcome = await build(writer, new RecordingSink(), quiet, { sleep: noSleep }).process(
      [message(0, event('a')), message(1, event('b'))],
      ctx,
    );
    expect(writer.calls.map((c) => c.length)).toEqual([2, 1, 1]);
    expect(outcome).toMatchObject({ commitOffset: '2', stored: 2 });
    expect(ctx.heartbeat).toHaveBeenCalledTimes(2);
  });

  it('dead-letters documents Elasticsearch rejects for good, with its reason', async () => {
    const writer = new ScriptedWriter([
      () => [{ status: 'rejected', httpStatus: 400, reason: 'mapper_parsing_exception: bad ip' }],
    ]);
    const sink = new RecordingSink();
    const outcome = await build(writer, sink, quiet).process([message(7, event('a'))], context());
    expect(outcome.deadLettered).toBe(1);
    expect(sink.letters[0]).toMatchObject({
      code: 'ELASTICSEARCH_REJECTED',
      message: '400 mapper_parsing_exception: bad ip',
    });
  });

  it('abandons the batch without an offset when the consumer stops while Elasticsearch is down', async () => {
    let running = true;
    const writer = new ScriptedWriter([
      () => {
        running = false;
        return new Error('connect ECONNREFUSED');
      },
    ]);
    const sink = new RecordingSink();
    const ctx = { ...context(), isRunning: () => running };
    const outcome = await build(writer, sink, quiet, { sleep: noSleep }).process(
      [message(0, event('a'))],
      ctx,
    );
    expect(outcome.commitOffset).toBeUndefined();
    expect(sink.letters).toEqual([]);
  });

  it('dead-letters a message whose normalizer fails unexpectedly, and goes on', async () => {
    const sink = new RecordingSink();
    const failing = {
      product: 'docker' as const,
      sourceKind: 'RUNTIME' as const,
      canHandle: () => true,
      normalize: () => {
        throw new TypeError('cannot read properties of undefined');
      },
    };
    const pipeline = build(new ScriptedWriter([all('created')]), sink, quiet, {
      normalize: { ...DEFAULT_NORMALIZE_OPTIONS, normalizers: [failing] },
    });
    const outcome = await pipeline.process([message(3, '{"any":"thing"}')], context());
    expect(outcome).toMatchObject({ commitOffset: '4', deadLettered: 1 });
    expect(sink.letters[0]).toMatchObject({
      code: 'NORMALIZER_FAILURE',
      message: 'cannot read properties of undefined',
    });
  });

  it('does not commit when the dead-letter write fails', async () => {
    const sink = { send: async () => Promise.reject(new Error('not enough replicas')) };
    const pipeline = build(new ScriptedWriter([all('created')]), sink, quiet);
    await expect(pipeline.process([message(0, 'garbage')], context())).rejects.toThrow('not enough replicas');
  });

  it('pauses the partition while it retries and resumes it once the batch is final', async () => {
    resumed.mockClear();
    const observed: number[] = [];
    const writer = new ScriptedWriter([() => httpError(503, 'unavailable'), all('created')]);
    const ctx = context();
    const pipeline = build(writer, new RecordingSink(), quiet, {
      sleep: async () => {
        expect(ctx.pause).toHaveBeenCalledTimes(1);
        expect(resumed).not.toHaveBeenCalled();
      },
      observer: { ...silentObserver, onPause: (delta) => observed.push(delta) },
    });
    const outcome = await pipeline.process([message(0, event('a'))], ctx);
    expect(outcome).toMatchObject({ commitOffset: '1', stored: 1 });
    expect(resumed).toHaveBeenCalledTimes(1);
    expect(observed).toEqual([1, -1]);
  });

  it('does not pause a partition whose batch is stored at the first attempt', async () => {
    const ctx = context();
    await build(new ScriptedWriter([all('created')]), new RecordingSink(), quiet).process(
      [message(0, event('a'))],
      ctx,
    );
    expect(ctx.pause).not.toHaveBeenCalled();
  });

  it('resumes the partition even when the batch is abandoned', async () => {
    resumed.mockClear();
    let running = true;
    const writer = new ScriptedWriter([
      () => {
        running = false;
        return httpError(503, 'unavailable');
      },
    ]);
    const ctx = { ...context(), isRunning: () => running };
    await build(writer, new RecordingSink(), quiet, { sleep: noSleep }).process(
      [message(0, event('a'))],
      ctx,
    );
    expect(resumed).toHaveBeenCalledTimes(1);
  });

  it('halves a request Elasticsearch refuses as too large, and rejects a single document that still is', async () => {
    const big = event('big');
    const writer = new ScriptedWriter([
      (docs) => {
        const tooLarge = docs.some((doc) => doc.kubernetes?.audit_id === 'big');
        return tooLarge
          ? httpError(413, 'Request Entity Too Large')
          : docs.map(() => ({ status: 'created' }));
      },
    ]);
    const sink = new RecordingSink();
    const outcome = await build(writer, sink, quiet, { sleep: noSleep }).process(
      [message(0, event('a')), message(1, event('b')), message(2, big), message(3, event('c'))],
      context(),
    );
    expect(writer.calls.map((c) => c.length)).toEqual([4, 2, 2, 1, 1]);
    expect(outcome).toMatchObject({ commitOffset: '4', stored: 3, deadLettered: 1 });
    expect(sink.letters[0]).toMatchObject({ code: 'ELASTICSEARCH_REJECTED', sourceOffset: '2' });
    expect(sink.letters[0].message).toMatch(/^413 /);
  });
});

describe('BatchPipeline backoff', () => {
  it('notices a stop within one 50 ms slice of a long backoff', async () => {
    let running = true;
    const slept: number[] = [];
    const writer = new ScriptedWriter([() => httpError(503, 'unavailable')]);
    const pipeline = build(writer, new RecordingSink(), quiet, {
      baseDelayMs: 20_000,
      maxDelayMs: 20_000,
      sleep: async (ms) => {
        slept.push(ms);
        if (slept.length === 3) running = false;
      },
    });
    const outcome = await pipeline.process([message(0, event('a'))], {
      ...context(),
      isRunning: () => running,
    });
    expect(outcome.commitOffset).toBeUndefined();
    expect(slept).toEqual([50, 50, 50]);
  });

  it('dead-letters an identity conflict with the id, where it is stored and both fingerprints', async () => {
    const conflict: WriteResult = {
      status: 'conflict',
      storedIndex: 'cairn-events-2026.05',
      storedFingerprint: 'a'.repeat(64),
      fingerprint: 'b'.repeat(64),
    };
    const writer = new ScriptedWriter([(docs) => docs.map(() => conflict)]);
    const sink = new RecordingSink();
    const pipeline = build(writer, sink, quiet, { sleep: noSleep });
    const outcome = await pipeline.process([message(3, event('a'))], context());
    expect(outcome).toEqual({ commitOffset: '4', stored: 0, duplicates: 0, deadLettered: 1 });
    const id = writer.calls[0][0].event.id;
    expect(sink.letters[0]).toMatchObject({
      code: 'IDENTITY_CONFLICT',
      message: expect.stringContaining(`event ${id} is already stored in cairn-events-2026.05`),
      headers: {
        'cairn.conflict.event_id': id,
        'cairn.conflict.stored_index': 'cairn-events-2026.05',
        'cairn.conflict.stored_fingerprint': 'a'.repeat(64),
        'cairn.conflict.fingerprint': 'b'.repeat(64),
      },
    });
  });

  it('writes the documents of one message in bulks of at most maxDocumentsPerBulk', async () => {
    const list = JSON.stringify({
      kind: 'EventList',
      apiVersion: 'audit.k8s.io/v1',
      items: ['a', 'b', 'c', 'd', 'e'].map((id) => JSON.parse(event(id)) as object),
    });
    const writer = new ScriptedWriter([all('created')]);
    const pipeline = build(writer, new RecordingSink(), quiet, {
      sleep: noSleep,
      maxDocumentsPerBulk: 2,
    });
    const outcome = await pipeline.process([message(0, list)], context());
    expect(outcome.stored).toBe(5);
    expect(writer.calls.map((call) => call.length)).toEqual([2, 2, 1]);
  });

  it('feeds what the store holds, new or already there, and never what it refused', async () => {
    const fed: string[][] = [];
    const order: string[] = [];
    const feed = {
      publish: async (documents: readonly AuditEventDocument[]) => {
        order.push('feed');
        fed.push(documents.map((document) => document.event.action));
      },
    };
    const sink = { send: async () => void order.push('dead letters') };
    const writer = new ScriptedWriter([
      () => [
        { status: 'created' },
        { status: 'duplicate' },
        { status: 'rejected', httpStatus: 400, reason: 'mapper_parsing_exception' },
      ],
    ]);
    const pipeline = build(writer, sink, quiet, { sleep: noSleep, feed });
    const outcome = await pipeline.process(
      [message(0, event('a')), message(1, event('b')), message(2, event('c')), message(3, '{bad')],
      context(),
    );
    expect(outcome).toEqual({ commitOffset: '4', stored: 1, duplicates: 1, deadLettered: 2 });
    expect(fed).toEqual([['pods.get', 'pods.get']]);
    expect(order).toEqual(['feed', 'dead letters']);
  });

  it('does not commit when the feed cannot take the stored events', async () => {
    const feed = { publish: async () => Promise.reject(new Error('feed topic has no leader')) };
    const pipeline = build(new ScriptedWriter([all('created')]), new RecordingSink(), quiet, { feed });
    await expect(pipeline.process([message(0, event('a'))], context())).rejects.toThrow('no leader');
  });

  it('runs the steps in order with each event position, and dead-letters a message a step throws on', async () => {
    const seen: string[] = [];
    const list = JSON.stringify({
      kind: 'EventList',
      apiVersion: 'audit.k8s.io/v1',
      items: ['a', 'b'].map((id) => JSON.parse(event(id)) as object),
    });
    const sink = new RecordingSink();
    const pipeline = new BatchPipeline({
      decoder: new NormalizingDecoder(quiet),
      steps: [
        { name: 'first', apply: (document, at) => (seen.push(`first ${at.offset}/${at.index}`), document) },
        {
          name: 'second',
          apply: (document, at) => {
            if (at.offset === '9') throw new RangeError('no chain head');
            seen.push(`second ${at.partition}/${at.offset}/${at.index}`);
            return document;
          },
        },
      ],
      store: new RetryingStore(new ScriptedWriter([all('created')]), quiet),
      deadLetters: sink,
      log: quiet,
    });
    const outcome = await pipeline.process([message(8, list), message(9, event('c'))], context());
    expect(seen).toEqual(['first 8/0', 'second 2/8/0', 'first 8/1', 'second 2/8/1', 'first 9/0']);
    expect(outcome).toEqual({ commitOffset: '10', stored: 2, duplicates: 0, deadLettered: 1 });
    expect(sink.letters[0]).toMatchObject({
      sourceOffset: '9',
      code: 'NORMALIZER_FAILURE',
      message: 'step second: no chain head',
    });
  });
});
