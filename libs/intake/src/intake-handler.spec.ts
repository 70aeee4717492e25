import { createHash } from 'node:crypto';
import { IntakeAuthenticator, parseIntakeCredentials } from './intake-credentials';
import { IntakeErrorCode, intakeHttpStatusOf } from './intake-error';
import { INTAKE_HEADERS, IntakeHandler, type IntakeOutcome } from './intake-handler';
import { KAFKA_RETRY_AFTER_SECONDS, RawTopicWriter } from './raw-topic-writer';

const sha = (token: string) => createHash('sha256').update(token).digest('hex');
const credentials = parseIntakeCredentials(
  JSON.stringify([
    { name: 'apiserver', source: 'kubernetes-audit', cluster: 'prod-eu', sha256: sha('k8s-token') },
    {
      name: 'registry',
      source: 'distribution',
      registry: 'registry.example.com:5000',
      sha256: sha('reg-token'),
    },
    { name: 'firehose', source: 'eks-firehose', cluster: 'prod-us', sha256: sha('firehose-key') },
    { name: 'pubsub', source: 'gke-pubsub', cluster: 'prod-gke', sha256: sha('pubsub-token') },
  ]),
  'CAIRN_INTAKE_TOKENS',
  [],
);
const json = { 'content-type': 'application/json' };
const body = Buffer.from('{"kind":"EventList","items":[]}');

/** A producer's send as kafkajs shapes it; the handler's contract with Kafka is tested for real in test/intake.e2e-spec.ts. */
function producer(fail?: Error) {
  const sent: {
    topic: string;
    acks?: number;
    messages: { value: Buffer; headers: Record<string, string> }[];
  }[] = [];
  return {
    sent,
    send: async (record: (typeof sent)[number]) => {
      if (fail) throw fail;
      sent.push(record);
      return [];
    },
  };
}

function handlerWith(kafka: ReturnType<typeof producer>, allow: boolean | (() => boolean) = true) {
  const observed: [string, string, number][] = [];
  const handler = new IntakeHandler({
    authenticator: new IntakeAuthenticator(credentials),
    rateLimiter: { take: typeof allow === 'function' ? allow : () => allow },
    writer: new RawTopicWriter(kafka, { compressAboveBytes: 1 << 20, timeoutMs: 1000 }),
    topics: { orchestrator: 'raw.orch', runtime: 'raw.run', registry: 'raw.reg' },
    maxBodyBytes: 1 << 20,
    observer: { onRequest: (source, sender, status) => observed.push([source, sender, status]) },
  });
  return { handler, observed };
}

const codeOf = (outcome: IntakeOutcome) => ('error' in outcome ? outcome.error.code : undefined);

describe('IntakeHandler', () => {
  it("writes the body to its source's raw topic with acks -1 and the credential's binding as headers", async () => {
    const kafka = producer();
    const { handler, observed } = handlerWith(kafka);
    const outcome = await handler.accept('kubernetes-audit', {
      headers: { ...json, authorization: 'Bearer k8s-token' },
      body,
    });
    expect(outcome).toEqual({ status: 202, sender: 'apiserver', bytes: body.length });
    expect(kafka.sent).toHaveLength(1);
    expect(kafka.sent[0].topic).toBe('raw.orch');
    expect(kafka.sent[0].acks).toBe(-1);
    expect(kafka.sent[0].messages[0].value.equals(body)).toBe(true);
    expect(kafka.sent[0].messages[0].headers).toEqual({
      [INTAKE_HEADERS.sender]: 'apiserver',
      [INTAKE_HEADERS.cluster]: 'prod-eu',
    });
    expect(observed).toEqual([['kubernetes-audit', 'apiserver', 202]]);
  });

  it('refuses no or a wrong token (401), another source (403) and an exhausted rate (429) before Kafka', async () => {
    const kafka = producer();
    const { handler, observed } = handlerWith(kafka);
    expect(codeOf(await handler.accept('kubernetes-audit', { headers: json, body }))).toBe(
      IntakeErrorCode.Unauthenticated,
    );
    const wrong = { headers: { ...json, authorization: 'Bearer nope' }, body };
    expect(codeOf(await handler.accept('kubernetes-audit', wrong))).toBe(IntakeErrorCode.Unauthenticated);
    const registry = { headers: { ...json, authorization: 'Bearer reg-token' }, body };
    const refused = await handler.accept('kubernetes-audit', registry);
    expect(codeOf(refused)).toBe(IntakeErrorCode.WrongSource);
    expect(refused.status).toBe(403);
    const limited = await handlerWith(kafka, false).handler.accept('distribution', registry);
    expect(limited.status).toBe(429);
    expect(kafka.sent).toEqual([]);
    expect(observed.map(([, sender, status]) => [sender, status])).toEqual([
      ['-', 401],
      ['-', 401],
      ['registry', 403],
    ]);
  });

  it('answers 503 with Retry-After when Kafka does not take the batch, 413 when Kafka finds it too large', async () => {
    const request = { headers: { ...json, authorization: 'Bearer k8s-token' }, body };
    const away = await handlerWith(
      producer(new Error('Connection error: connect ECONNREFUSED')),
    ).handler.accept('kubernetes-audit', request);
    expect(away.status).toBe(503);
    expect('error' in away && away.error.retryAfterSeconds).toBe(KAFKA_RETRY_AFTER_SECONDS);
    const large = Object.assign(
      new Error('The request included a message larger than the max message size'),
      {
        name: 'KafkaJSProtocolError',
        type: 'MESSAGE_TOO_LARGE',
      },
    );
    const tooLarge = await handlerWith(producer(large)).handler.accept('kubernetes-audit', request);
    expect(codeOf(tooLarge)).toBe(IntakeErrorCode.PayloadTooLarge);
  });

  it("reads Firehose's access-key header and a Pub/Sub push URL's token, unwrapping each delivery", async () => {
    const kafka = producer();
    const { handler } = handlerWith(kafka);
    const record = Buffer.from('{"messageType":"DATA_MESSAGE"}');
    const firehose = await handler.accept('eks-firehose', {
      headers: { ...json, 'x-amz-firehose-access-key': 'firehose-key' },
      body: Buffer.from(JSON.stringify({ requestId: 'r', records: [{ data: record.toString('base64') }] })),
    });
    expect(firehose).toEqual({ status: 200, sender: 'firehose', bytes: record.length });
    const pushed = await handler.accept('gke-pubsub', {
      headers: json,
      query: { token: 'pubsub-token' },
      body: Buffer.from(JSON.stringify({ message: { data: record.toString('base64') } })),
    });
    expect(pushed.status).toBe(202);
    expect(kafka.sent.map((send) => [send.topic, send.messages[0].value.toString()])).toEqual([
      ['raw.orch', record.toString()],
      ['raw.orch', record.toString()],
    ]);
    const queryElsewhere = await handler.accept('kubernetes-audit', {
      headers: json,
      query: { token: 'k8s-token' },
      body,
    });
    expect(codeOf(queryElsewhere)).toBe(IntakeErrorCode.Unauthenticated);
  });

  it('prechecks from the headers alone, taking no rate and writing nothing', async () => {
    const kafka = producer();
    let taken = 0;
    const { handler: counting } = handlerWith(kafka, () => (taken += 1) > 0);
    expect(
      counting.precheck('kubernetes-audit', {
        headers: { authorization: 'Bearer k8s-token' },
        body: undefined,
      }),
    ).toBeUndefined();
    expect(codeOf(counting.precheck('kubernetes-audit', { headers: {}, body: undefined })!)).toBe(
      IntakeErrorCode.Unauthenticated,
    );
    expect(
      codeOf(
        counting.precheck('falco', { headers: { authorization: 'Bearer k8s-token' }, body: undefined })!,
      ),
    ).toBe(IntakeErrorCode.WrongSource);
    expect(taken).toBe(0);
    expect(kafka.sent).toEqual([]);
  });

  it('maps every error code to an HTTP status', () => {
    for (const code of Object.values(IntakeErrorCode)) {
      expect(intakeHttpStatusOf(code)).toBeGreaterThanOrEqual(400);
    }
  });
});
