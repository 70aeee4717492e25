import { spawn, type ChildProcess } from 'node:child_process';
import { get as httpsGet } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { REPO } from './local-stack';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface RunningApp {
  readonly baseUrl: string;
  readonly process: ChildProcess;
  output(): string;
  /** SIGTERM, then resolves with how it ended; a graceful stop ends by that signal or exit code 0. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ExitedApp {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function spawnApp(
  app: 'api' | 'ingest' | 'feed' | 'intake' | 'cli',
  env: Record<string, string>,
  args: readonly string[] = [],
): ChildProcess {
  // Tests run ingest with the heap cap it is deployed with (Dockerfile, npm run start:ingest).
  const flags = app === 'ingest' ? ['--max-old-space-size=256'] : [];
  return spawn(process.execPath, [...flags, join(REPO, 'dist/apps', app, 'main.js'), ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs a built app until it exits by itself (for start-up failures). */
export function runUntilExit(
  app: 'api' | 'ingest' | 'intake' | 'cli',
  env: Record<string, string>,
  timeoutMs = 30_000,
  args: readonly string[] = [],
): Promise<ExitedApp> {
  return new Promise((resolve, reject) => {
    const child = spawnApp(app, env, args);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${app} did not exit within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Whether it answers at all: the test's own requests check the certificate. */
function probeHttps(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    httpsGet(url, { rejectUnauthorized: false }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    }).on('error', () => resolve(false));
  });
}

/** Starts a built app and waits until its /healthz answers (over HTTPS when the API serves it). */
export async function startApp(
  app: 'api' | 'ingest' | 'feed' | 'intake',
  env: Record<string, string>,
  port: number,
  timeoutMs = 60_000,
): Promise<RunningApp> {
  const portVariable = {
    api: 'CAIRN_API_PORT',
    ingest: 'CAIRN_INGEST_PORT',
    feed: 'CAIRN_FEED_PORT',
    intake: 'CAIRN_INTAKE_PORT',
  }[app];
  const child = spawnApp(app, { ...env, [portVariable]: String(port) });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const https =
    (app === 'api' && env.CAIRN_API_TLS_CERT_FILE !== undefined) ||
    (app === 'intake' && env.CAIRN_INTAKE_TLS_CERT_FILE !== undefined);
  const baseUrl = `${https ? 'https' : 'http'}://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${app} exited with ${child.exitCode}:\n${output}`);
    const ok = https
      ? await probeHttps(`${baseUrl}/healthz`)
      : await fetch(`${baseUrl}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
    if (ok) {
      return {
        baseUrl,
        process: child,
        output: () => output,
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          // An app that ignores SIGTERM is killed, and its stop then reports SIGKILL: a failure.
          const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
          const ended = await exited;
          clearTimeout(killer);
          return ended;
        },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`${app} did not answer /healthz within ${timeoutMs} ms:\n${output}`);
}

/** Nest re-raises SIGTERM after its shutdown hooks ran; either way the stop was orderly. */
export function expectOrderlyStop(
  ended: { code: number | null; signal: NodeJS.Signals | null },
  output?: string,
): void {
  if (ended.signal === 'SIGTERM' || ended.code === 0) return;
  // What the process said last is what tells a crash from a kill: it goes with the failure.
  const last = output === undefined ? '' : `; its last output:\n${output.slice(-4000)}`;
  throw new Error(`not an orderly stop: exit code ${ended.code}, signal ${ended.signal}${last}`);
}
