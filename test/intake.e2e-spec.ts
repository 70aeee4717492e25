import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { freePort, startApp, expectOrderlyStop, type RunningApp } from './support/app-process';
import { startCairn, type CairnUnderTest } from './support/cairn-under-test';
import { readDeadLetters } from './support/dead-letters';
import { newToken } from './support/graphql-client';
import {
  appEnvironment,
  elasticsearch,
  eventually,
  isolatedNames,
  REPO,
  stackCommand,
} from './support/local-stack';

/**
 * The webhook intake in front of the real Kafka, ingest and Elasticsearch: each source's request
 * as its sender makes it is stored under the credential's cluster or registry, refusals have their
 * statuses and codes, and with Kafka away the sender is told to retry (nothing acknowledged).
 */
const names = isolatedNames('intake');
const FIXTURES = join(REPO, 'libs/normalizers/src');
const fixture = (path: string) => readFileSync(join(FIXTURES, path));
const expectedIds = (path: string): string[] =>
  (
    JSON.parse(fixture(path.replace(/\.json$/, '.expected.json')).toString()) as { event: { id: string } }[]
  ).map((document) => document.event.id);

const tokens = {
  apiserver: randomBytes(16).toString('hex'),
  falco: randomBytes(16).toString('hex'),
  opa: randomBytes(16).toString('hex'),
  harbor: randomBytes(16).toString('hex'),
  burst: randomBytes(16).toString('hex'),
  firehose: randomBytes(16).toString('hex'),
  pubsub: randomBytes(16).toString('hex'),
};
const sha = (token: string) => createHash('sha256').update(token).digest('hex');
const CREDENTIALS = [
  {
    name: 'prod-eu-apiserver',
    source: 'kubernetes-audit',
    cluster: 'prod-eu',
    sha256: sha(tokens.apiserver),
  },
  { name: 'prod-eu-falco', source: 'falco', cluster: 'prod-eu', sha256: sha(tokens.falco) },
  { name: 'prod-eu-opa', source: 'opa', cluster: 'prod-eu', sha256: sha(tokens.opa) },
  { name: 'harbor-prod', source: 'harbor', registry: 'harbor.prod.example.com', sha256: sha(tokens.harbor) },
  { name: 'burst', source: 'falco', cluster: 'lab', sha256: sha(tokens.burst) },
  { name: 'eks-us-firehose', source: 'eks-firehose', cluster: 'eks-us', sha256: sha(tokens.firehose) },
  { name: 'gke-eu-pubsub', source: 'gke-pubsub', cluster: 'gke-eu', sha256: sha(tokens.pubsub) },
];
const RATE_PER_MINUTE = 30;
const MAX_BODY = 11 * 1024 * 1024;

let cairn: CairnUnderTest;
let intake: RunningApp;

beforeAll(async () => {
  cairn = await startCairn(names, {
    CAIRN_API_TOKENS: JSON.stringify([newToken('e2e-intake', 'investigator').entry]),
  });
  intake = await startApp(
    'intake',
    {
      ...appEnvironment(names),
      CAIRN_INTAKE_TOKENS: JSON.stringify(CREDENTIALS),
      CAIRN_INTAKE_RATE_LIMIT_PER_MINUTE: String(RATE_PER_MINUTE),
      CAIRN_INTAKE_MAX_BODY_BYTES: String(MAX_BODY),
    },
    await freePort(),
  );
}, 120_000);

afterAll(async () => {
  const stopped = await intake?.stop();
  await cairn?.stop();
  if (stopped) expectOrderlyStop(stopped);
});

function post(source: string, body: Buffer | string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${intake.baseUrl}/intake/v1/${source}`, { method: 'POST', headers, body });
}

/**
 * A POST announcing `announced` bytes of which only `sent` are written, answered before the rest:
 * the intake may refuse (and close) before reading the body, so the sender's write failing then
 * (EPIPE, ECONNRESET) is expected; the answer is what counts.
 */
function earlyAnswer(
  source: string,
  headers: Record<string, string>,
  announced: number,
  sent = Math.min(announced, 64 * 1024),
): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    const call = request(
      `${intake.baseUrl}/intake/v1/${source}`,
      { method: 'POST', headers: { ...headers, 'content-length': String(announced) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          resolve(new Response(Buffer.concat(chunks), { status: response.statusCode ?? 0 }));
          call.destroy();
        });
      },
    );
    call.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error),
    );
    call.write(Buffer.alloc(sent, 0x20));
  });
}

interface Stored {
  event: { id: string };
  orchestrator?: { cluster?: { name?: string } };
  registry?: { name?: string };
  cairn: { intake?: { sender: string }; product: string };
}

async function storedBy(sender: string, count: number): Promise<Stored[]> {
  const es = elasticsearch();
  try {
    return await eventually(async () => {
      await es.indices.refresh({ index: `${names.indexPrefix}-*`, allow_no_indices: true });
      const found = await es.search<Stored>({
        index: `${names.indexPrefix}-*`,
        allow_no_indices: true,
        size: 1000,
        query: { term: { 'cairn.intake.sender': sender } },
      });
      const documents = found.hits.hits.map((hit) => hit._source!);
      return documents.length >= count ? documents : undefined;
    }, `${count} events from ${sender}`);
  } finally {
    await es.close();
  }
}

const bearer = (token: string, type = 'application/json') => ({
  authorization: `Bearer ${token}`,
  'content-type': type,
});

describe('the intake', () => {
  it("stores the API server's EventList under the credential's cluster, over the cluster the payload claims", async () => {
    const path = 'kubernetes-audit/fixtures/v1-eventlist-rbac.json';
    const response = await post('kubernetes-audit', fixture(path), bearer(tokens.apiserver));
    expect(response.status).toBe(202);
    const stored = await storedBy('prod-eu-apiserver', expectedIds(path).length);
    expect(stored.map((d) => d.event.id).sort()).toEqual(expectedIds(path).sort());
    expect(stored.every((d) => d.orchestrator?.cluster?.name === 'prod-eu')).toBe(true);
  });

  it("takes OPA's gzip decision-log upload (a JSON array) and Falco's http_output with Basic credentials", async () => {
    const batch = 'opa/fixtures/decision-log-upload-batch.json';
    const gzip = { ...bearer(tokens.opa), 'content-encoding': 'gzip' };
    expect((await post('opa', gzipSync(fixture(batch)), gzip)).status).toBe(202);
    const falco = 'falco/fixtures/syscall-terminal-shell.json';
    const basic = { authorization: `Basic ${Buffer.from(`falco:${tokens.falco}`).toString('base64')}` };
    expect(
      (await post('falco', fixture(falco), { ...basic, 'content-type': 'application/json' })).status,
    ).toBe(202);
    const decisions = await storedBy('prod-eu-opa', 2);
    expect(decisions.map((d) => d.event.id).sort()).toEqual(expectedIds(batch).sort());
    const alerts = await storedBy('prod-eu-falco', 1);
    expect(alerts.map((d) => [d.event.id, d.orchestrator?.cluster?.name])).toEqual([
      [expectedIds(falco)[0], 'prod-eu'],
    ]);
  });

  it("takes Harbor's CloudEvents in binary mode, the attributes in ce-* headers, under the credential's registry", async () => {
    const structured = JSON.parse(
      fixture('harbor/fixtures/cloudevents-push-artifact.json').toString(),
    ) as Record<string, unknown>;
    const { data, datacontenttype: _type, ...attributes } = structured;
    const headers: Record<string, string> = bearer(tokens.harbor);
    for (const [name, value] of Object.entries(attributes)) headers[`ce-${name}`] = String(value);
    expect((await post('harbor', JSON.stringify(data), headers)).status).toBe(202);
    const stored = await storedBy('harbor-prod', 1);
    expect(stored.length).toBeGreaterThan(0);
    expect(
      stored.every((d) => d.registry?.name === 'harbor.prod.example.com' && d.cairn.product === 'harbor'),
    ).toBe(true);
  });

  it("unwraps Firehose's HTTP endpoint delivery (gzip CloudWatch Logs records) and a Pub/Sub push", async () => {
    const eks = 'managed-kubernetes/fixtures/eks-cloudwatch-subscription.json';
    const firehose = await post(
      'eks-firehose',
      JSON.stringify({
        requestId: 'ed4acda5-034f-9f42-bba1-f29aea6d7d8f',
        timestamp: Date.now(),
        records: [{ data: gzipSync(fixture(eks)).toString('base64') }],
      }),
      {
        'content-type': 'application/json',
        'x-amz-firehose-request-id': 'ed4acda5-034f-9f42-bba1-f29aea6d7d8f',
        'x-amz-firehose-access-key': tokens.firehose,
      },
    );
    expect(firehose.status).toBe(200);
    expect(((await firehose.json()) as { requestId: string }).requestId).toBe(
      'ed4acda5-034f-9f42-bba1-f29aea6d7d8f',
    );
    const gke = 'managed-kubernetes/fixtures/gke-pod-create.json';
    const push = await fetch(`${intake.baseUrl}/intake/v1/gke-pubsub?token=${tokens.pubsub}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        message: {
          data: fixture(gke).toString('base64'),
          messageId: '9',
          publishTime: new Date().toISOString(),
        },
        subscription: 'projects/example/subscriptions/cairn-audit',
      }),
    });
    expect(push.status).toBe(202);
    const fromEks = await storedBy('eks-us-firehose', expectedIds(eks).length);
    expect(fromEks.map((d) => d.event.id).sort()).toEqual(expectedIds(eks).sort());
    expect(fromEks.every((d) => d.orchestrator?.cluster?.name === 'eks-us')).toBe(true);
    const fromGke = await storedBy('gke-eu-pubsub', expectedIds(gke).length);
    expect(fromGke.map((d) => [d.event.id, d.orchestrator?.cluster?.name])).toEqual(
      expectedIds(gke).map((id) => [id, 'gke-eu']),
    );
  });

  it('stores a 10 MiB EventList of 400 events whole (compressed in Kafka, below the topic limit)', async () => {
    const base = JSON.parse(fixture('kubernetes-audit/fixtures/v1-eventlist-rbac.json').toString()) as {
      items: Record<string, unknown>[];
    };
    const filler = 'x'.repeat(26_000);
    const items = Array.from({ length: 400 }, (_, index) => ({
      ...base.items[0],
      auditID: `0b5a2c1e-0000-4000-8000-${String(index).padStart(12, '0')}`,
      requestObject: { kind: 'ConfigMap', data: { note: filler } },
    }));
    const body = Buffer.from(JSON.stringify({ ...base, items }));
    expect(body.length).toBeGreaterThan(10 * 1024 * 1024);
    expect((await post('kubernetes-audit', body, bearer(tokens.apiserver))).status).toBe(202);
    const stored = await storedBy(
      'prod-eu-apiserver',
      expectedIds('kubernetes-audit/fixtures/v1-eventlist-rbac.json').length + 400,
    );
    expect(stored.filter((d) => d.orchestrator?.cluster?.name === 'prod-eu').length).toBe(stored.length);
  }, 120_000);

  it('dead-letters what it accepted but ingest cannot read, with the original bytes and the sender binding', async () => {
    const junk = Buffer.from(`{"not":"an audit event","marker":"${randomBytes(6).toString('hex')}"}`);
    expect((await post('falco', junk, bearer(tokens.falco))).status).toBe(202);
    const letters = await readDeadLetters(names.topics.deadLetter, 1);
    const letter = letters.find((l) => l.value?.equals(junk));
    expect(letter?.headers['cairn.error.code']).toBe('UNRECOGNIZED_SOURCE');
    expect(letter?.headers['cairn-intake-sender']).toBe('prod-eu-falco');
    expect(letter?.headers['cairn-intake-cluster']).toBe('prod-eu');
  });

  it('refuses with stable codes: 401, 403, 413, 415, 400 and 404', async () => {
    const expectRefusal = async (response: Response, status: number, code: string) => {
      expect(response.status).toBe(status);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
    };
    const event = fixture('falco/fixtures/syscall-terminal-shell.json');
    await expectRefusal(
      await post('falco', event, { 'content-type': 'application/json' }),
      401,
      'UNAUTHENTICATED',
    );
    await expectRefusal(await post('falco', event, bearer('not-a-token')), 401, 'UNAUTHENTICATED');
    await expectRefusal(await post('kubernetes-audit', event, bearer(tokens.falco)), 403, 'WRONG_SOURCE');
    await expectRefusal(
      await post('falco', event, bearer(tokens.falco, 'text/plain')),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    // Over the limit by its announced length: refused before the body is read.
    await expectRefusal(
      await earlyAnswer('falco', bearer(tokens.falco), MAX_BODY + 1),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    const bomb = gzipSync(Buffer.alloc(MAX_BODY + 1, 0x20));
    await expectRefusal(
      await post('falco', bomb, { ...bearer(tokens.falco), 'content-encoding': 'gzip' }),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    await expectRefusal(await post('falco', '', bearer(tokens.falco)), 400, 'EMPTY_BODY');
    await expectRefusal(await post('docker', event, bearer(tokens.falco)), 404, 'NOT_FOUND');
  });

  it('refuses an unknown sender, or one for another source, from its headers before reading its body', async () => {
    // Only the first 64 KiB of the announced 10 MiB: the answer must come without the rest.
    const partialUpload = async (headers: Record<string, string>) =>
      (
        await earlyAnswer(
          'kubernetes-audit',
          { 'content-type': 'application/json', ...headers },
          10 * 1024 * 1024,
        )
      ).status;
    expect(await partialUpload({})).toBe(401);
    expect(await partialUpload({ authorization: `Bearer ${tokens.falco}` })).toBe(403);
  });

  it('limits each credential to its rate (429 with Retry-After), leaving the others alone', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < RATE_PER_MINUTE + 5; i += 1) {
      const response = await post('falco', '{}', bearer(tokens.burst, 'text/plain'));
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
    }
    expect(statuses.filter((status) => status === 415).length).toBeGreaterThanOrEqual(RATE_PER_MINUTE);
    expect(statuses.slice(-3)).toEqual([429, 429, 429]);
    expect(retryAfter).toBe('1');
    const other = await post('falco', '{}', bearer(tokens.falco, 'text/plain'));
    expect(other.status).toBe(415);
  });

  it('counts every request by source, sender and status', async () => {
    const metrics = await (await fetch(`${intake.baseUrl}/metrics`)).text();
    expect(metrics).toContain(
      'cairn_intake_requests_total{source="kubernetes-audit",sender="prod-eu-apiserver",status="202"} 2',
    );
    expect(metrics).toContain('cairn_intake_requests_total{source="falco",sender="-",status="401"} 2');
    expect(metrics).toMatch(/cairn_intake_requests_total\{source="falco",sender="burst",status="429"\} \d+/);
  });

  it('answers 503 with Retry-After while Kafka is away, acknowledging nothing, and 202 again once it is back', async () => {
    const event = fixture('falco/fixtures/syscall-read-sensitive-file-host.json');
    await stackCommand('stop-kafka');
    try {
      const started = Date.now();
      const response = await post('falco', event, bearer(tokens.falco));
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('KAFKA_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      await stackCommand('start');
    }
    // A sender retries as told until Kafka takes the batch: then it is stored, once.
    await eventually(
      async () => ((await post('falco', event, bearer(tokens.falco))).status === 202 ? true : undefined),
      'the intake to take batches again',
      120_000,
      2000,
    );
    const stored = await storedBy('prod-eu-falco', 2);
    expect(
      stored.filter(
        (d) => d.event.id === expectedIds('falco/fixtures/syscall-read-sensitive-file-host.json')[0],
      ),
    ).toHaveLength(1);
  }, 300_000);
});
