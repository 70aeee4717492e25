import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';

/**
 * Apollo (on Express) against Mercurius (on Fastify) behind the same Nest code-first schema and
 * resolver, measured side by side in one run, alternating rounds so machine noise hits both.
 * Prints JSON: requests per second and latency percentiles per driver, and their ratio.
 */
const DRIVERS = ['apollo', 'mercurius'] as const;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = 16;
const QUERY = JSON.stringify({
  query:
    '{ events(first: 50) { totalCount nodes { id timestamp action outcome message actor { name groups sourceIps userAgent } kubernetes { verb resource subresource namespace name responseCode } } } }',
});

async function startServer(driver: string, port: number): Promise<ChildProcess> {
  const child = fork(join(__dirname, 'graphql-driver.server.js'), [driver, String(port)], {
    stdio: 'inherit',
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`${driver} server exited with ${code}`)));
  });
  return child;
}

async function measure(driver: string, port: number) {
  const server = await startServer(driver, port);
  try {
    const url = `http://127.0.0.1:${port}/graphql`;
    // Warm-up: JIT, schema caches, connection pools.
    await autocannon({
      url,
      method: 'POST',
      body: QUERY,
      headers: { 'content-type': 'application/json' },
      connections: CONNECTIONS,
      duration: 2,
    });
    const result = await autocannon({
      url,
      method: 'POST',
      body: QUERY,
      headers: { 'content-type': 'application/json' },
      connections: CONNECTIONS,
      duration: SECONDS,
    });
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${driver}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const samples: Record<string, { rps: number; p50: number; p99: number }[]> = { apollo: [], mercurius: [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const driver of round % 2 === 0 ? DRIVERS : [...DRIVERS].reverse()) {
      samples[driver].push(await measure(driver, 4900 + round));
    }
  }
  const summary = Object.fromEntries(
    DRIVERS.map((driver) => [
      driver,
      {
        requestsPerSecond: Math.round(median(samples[driver].map((s) => s.rps))),
        latencyP50Ms: median(samples[driver].map((s) => s.p50)),
        latencyP99Ms: median(samples[driver].map((s) => s.p99)),
        rounds: samples[driver],
      },
    ]),
  );
  console.log(
    JSON.stringify(
      {
        benchmark: 'graphql-driver',
        query: 'events(first: 50), nested actor and kubernetes objects',
        connections: CONNECTIONS,
        secondsPerRound: SECONDS,
        rounds: ROUNDS,
        ...summary,
        mercuriusOverApolloThroughput: +(
          summary.mercurius.requestsPerSecond / summary.apollo.requestsPerSecond
        ).toFixed(2),
      },
      null,
      2,
    ),
  );
}

void main();
