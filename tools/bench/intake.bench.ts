import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import type { Producer } from 'kafkajs';
import {
  kafka,
  measured,
  peakRss,
  processUsage,
  progress,
  REPO,
  sleep,
  startBuiltApp,
  stopProcess,
} from './bench-support';

/**
 * The webhook intake beside a kafkajs producer writing the same bytes directly, in one run,
 * printed as JSON: Kubernetes EventList batches of 400 events, durable in Kafka (acks -1) before
 * each is counted, the same number in flight on both sides; events/s, requests/s and their ratio
 * (target ≥ 0.8). Then a sender that never stops (BENCH_INTAKE_SOAK_SECONDS) and the intake's peak
 * RSS, with its RSS at the start and end of that run: memory must stay flat.
 */
const EVENTS_PER_BATCH = 400;
const BATCHES = Number(process.env.BENCH_INTAKE_BATCHES ?? 300);
const IN_FLIGHT = Number(process.env.BENCH_INTAKE_IN_FLIGHT ?? 4);
const ROUNDS = Number(process.env.BENCH_INTAKE_ROUNDS ?? 3);
const SOAK_SECONDS = Number(process.env.BENCH_INTAKE_SOAK_SECONDS ?? 60);

function eventListBatch(batch: number): Buffer {
  const fixture = join(REPO, 'libs/normalizers/src/kubernetes-audit/fixtures/v1-pods-exec.json');
  const event = JSON.parse(readFileSync(fixture, 'utf8')) as Record<string, unknown>;
  const items = Array.from({ length: EVENTS_PER_BATCH }, (_, index) => ({
    ...event,
    auditID: `${randomBytes(4).toString('hex')}-0000-4000-8000-${String(batch * EVENTS_PER_BATCH + index).padStart(12, '0')}`,
  }));
  return Buffer.from(
    JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items }),
  );
}

async function inParallel(count: number, send: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await send(next++);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

function post(agent: Agent, url: URL, token: string, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const call = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': body.length,
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    call.on('error', reject);
    call.end(body);
  });
}

async function main(): Promise<void> {
  const id = randomBytes(4).toString('hex');
  const topic = `bench.intake.${id}`;
  const admin = kafka().admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      {
        topic,
        numPartitions: 3,
        configEntries: [{ name: 'max.message.bytes', value: String(8 * 1024 * 1024) }],
      },
    ],
  });
  const token = randomBytes(24).toString('hex');
  const credential = {
    name: 'bench-apiserver',
    source: 'kubernetes-audit',
    cluster: 'bench',
    sha256: createHash('sha256').update(token).digest('hex'),
  };
  const intake = await startBuiltApp(
    'intake',
    {
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      CAIRN_TOPIC_ORCHESTRATOR: topic,
      CAIRN_INTAKE_TOKENS: JSON.stringify([credential]),
      CAIRN_INTAKE_RATE_LIMIT_PER_MINUTE: '10000000',
      CAIRN_LOG_LEVEL: 'warn',
    },
    // e.g. BENCH_INTAKE_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the intake.
    (process.env.BENCH_INTAKE_NODE_FLAGS ?? '').split(' ').filter(Boolean),
  );
  const producer: Producer = kafka().producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const url = new URL(`${intake.baseUrl}/intake/v1/kubernetes-audit`);
  const batches = Array.from({ length: 20 }, (_, batch) => eventListBatch(batch));
  const batchBytes = batches[0].length;
  progress(
    `${BATCHES} batches of ${EVENTS_PER_BATCH} events (${(batchBytes / 1024).toFixed(0)} KiB) per side, ${IN_FLIGHT} in flight, ${ROUNDS} rounds`,
  );

  const headers = { 'cairn-intake-sender': credential.name, 'cairn-intake-cluster': credential.cluster };
  const direct = () =>
    inParallel(BATCHES, async (index) => {
      await producer.send({
        topic,
        acks: -1,
        messages: [{ value: batches[index % batches.length], headers }],
      });
    });
  let refused = 0;
  const viaIntake = () =>
    inParallel(BATCHES, async (index) => {
      const status = await post(agent, url, token, batches[index % batches.length]);
      if (status !== 202) refused += 1;
    });
  const pid = intake.child.pid!;
  await viaIntake(); // warm-up: the intake's first requests run cold code
  await direct();
  const rounds: { direct: number; intake: number; intakeCores: Record<string, number> }[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const a = await measured(direct);
    const b = await measured(viaIntake, { label: 'intake', pid });
    rounds.push({ direct: BATCHES / a.seconds, intake: BATCHES / b.seconds, intakeCores: b.cores });
    progress(
      `round ${round + 1}: direct ${(BATCHES / a.seconds).toFixed(1)} req/s, intake ${(BATCHES / b.seconds).toFixed(1)} req/s`,
    );
  }
  if (refused > 0) throw new Error(`the intake refused ${refused} batches`);
  const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
  const directRate = median(rounds.map((r) => r.direct));
  const intakeRate = median(rounds.map((r) => r.intake));

  progress(`a sender that never stops, for ${SOAK_SECONDS} s`);
  const rssAtStart = processUsage(pid)?.rssMib ?? 0;
  const peak = peakRss(pid);
  const deadline = Date.now() + SOAK_SECONDS * 1000;
  let soaked = 0;
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(processUsage(pid)?.rssMib ?? 0), 1000);
  await Promise.all(
    Array.from({ length: IN_FLIGHT * 2 }, async () => {
      while (Date.now() < deadline) {
        const status = await post(agent, url, token, batches[soaked % batches.length]);
        if (status !== 202) refused += 1;
        soaked += 1;
      }
    }),
  );
  clearInterval(sampler);
  const peakMib = peak.stop();
  const lastTenth = samples.slice(-Math.max(1, Math.floor(samples.length / 10)));
  await sleep(100);

  agent.destroy();
  await producer.disconnect();
  await stopProcess(intake.child);
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  process.stdout.write(
    `${JSON.stringify(
      {
        benchmark: 'intake',
        batch: { events: EVENTS_PER_BATCH, bytes: batchBytes },
        inFlight: IN_FLIGHT,
        direct: {
          requestsPerSecond: +directRate.toFixed(1),
          eventsPerSecond: Math.round(directRate * EVENTS_PER_BATCH),
        },
        intake: {
          requestsPerSecond: +intakeRate.toFixed(1),
          eventsPerSecond: Math.round(intakeRate * EVENTS_PER_BATCH),
        },
        ratio: +(intakeRate / directRate).toFixed(2),
        target: 0.8,
        rounds: rounds.map((r) => ({ ratio: +(r.intake / r.direct).toFixed(2), intakeCores: r.intakeCores })),
        soak: {
          seconds: SOAK_SECONDS,
          requests: soaked,
          refused,
          rssMib: {
            start: +rssAtStart.toFixed(1),
            peak: +peakMib.toFixed(1),
            endMedian: +median(lastTenth).toFixed(1),
          },
        },
      },
      null,
      2,
    )}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
