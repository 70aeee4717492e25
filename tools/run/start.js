#!/usr/bin/env node
// `npm start`: builds Cairn, starts the local stack when it is not running, then runs the ingest
// and API apps in the foreground until Ctrl-C (which stops the apps and leaves the stack running
// for next time; `npm run stack:stop` stops it). Logs go to .cairn/run/. `npm start -- --secure`
// (or CAIRN_STACK_SECURE=1) runs everything over the stack's TLS and SASL side, the API on HTTPS.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { createHash, generateKeyPairSync, randomBytes } = require('node:crypto');
const fs = require('node:fs');
const https = require('node:https');
const path = require('node:path');

const repo = path.resolve(__dirname, '..', '..');
const runDir = path.join(process.env.CAIRN_STACK_DIR || path.join(repo, '.cairn'), 'run');
const say = (message) => console.log(`[cairn] ${message}`);

function step(command, args) {
  const result = spawnSync(command, args, { cwd: repo, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`[cairn] ${command} ${args.join(' ')} failed (exit ${result.status})`);
    process.exit(1);
  }
}

/**
 * Without configured tokens, a local development token is made once and reused: its hash goes to
 * the API's configuration, the token itself to a file only this user can read.
 */
function developmentTokens() {
  if (process.env.CAIRN_API_TOKENS || process.env.CAIRN_API_TOKENS_FILE) return { env: {} };
  const tokenFile = path.join(runDir, 'dev-token');
  const entriesFile = path.join(runDir, 'api-tokens.json');
  if (!fs.existsSync(tokenFile) || !fs.existsSync(entriesFile)) {
    const token = `cairn_${randomBytes(32).toString('base64url')}`;
    const sha256 = createHash('sha256').update(token).digest('hex');
    fs.writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    fs.writeFileSync(entriesFile, JSON.stringify([{ name: 'local-developer', role: 'admin', sha256 }]), {
      mode: 0o600,
    });
  }
  return { env: { CAIRN_API_TOKENS_FILE: entriesFile }, token: fs.readFileSync(tokenFile, 'utf8').trim() };
}

const INTAKE_SOURCES = {
  'kubernetes-audit': { cluster: 'local' },
  falco: { cluster: 'local' },
  opa: { cluster: 'local' },
  distribution: { registry: 'localhost:5000' },
  harbor: { registry: 'harbor.local' },
  'eks-firehose': { cluster: 'local-eks' },
  'gke-pubsub': { cluster: 'local-gke' },
};

/**
 * Without configured intake credentials, one development sender per source is made once and
 * reused (bound to the cluster "local" or a local registry name): hashes to the intake's
 * configuration, each token to a file only this user can read.
 */
function developmentIntakeTokens() {
  if (process.env.CAIRN_INTAKE_TOKENS || process.env.CAIRN_INTAKE_TOKENS_FILE) return { env: {} };
  const dir = path.join(runDir, 'intake-tokens');
  const entriesFile = path.join(runDir, 'intake-tokens.json');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const entries = Object.entries(INTAKE_SOURCES).map(([source, binding]) => {
    const tokenFile = path.join(dir, source);
    if (!fs.existsSync(tokenFile)) {
      fs.writeFileSync(tokenFile, `cairn_intake_${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
    }
    const token = fs.readFileSync(tokenFile, 'utf8').trim();
    const sha256 = createHash('sha256').update(token).digest('hex');
    return { name: `local-${source}`, source, ...binding, sha256 };
  });
  fs.writeFileSync(entriesFile, JSON.stringify(entries), { mode: 0o600 });
  return { env: { CAIRN_INTAKE_TOKENS_FILE: entriesFile }, dir };
}

function developmentCursorSecret() {
  const file = path.join(runDir, 'cursor-secret');
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return file;
}

/**
 * The demo's checkpoint signing key and log, made once per checkout under .cairn/integrity. A
 * deployment brings its own key (cairn integrity-key) and puts the log on write-once storage.
 */
function developmentIntegrity() {
  const dir = path.join(process.env.CAIRN_STACK_DIR || path.join(repo, '.cairn'), 'integrity');
  fs.mkdirSync(dir, { recursive: true });
  const keyFile = path.join(dir, 'signing-key.pem');
  if (!fs.existsSync(keyFile)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    fs.writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  return { CAIRN_INTEGRITY_KEY_FILE: keyFile, CAIRN_INTEGRITY_CHECKPOINT_DIR: path.join(dir, 'checkpoints') };
}

const secure = process.argv.includes('--secure') || process.env.CAIRN_STACK_SECURE === '1';
const secureDir = path.join(process.env.CAIRN_STACK_DIR || path.join(repo, '.cairn'), 'secure');

/** The settings stack.sh --secure wrote, and the API serving HTTPS with the stack's certificate. */
function secureEnvironment() {
  const lines = fs.readFileSync(path.join(secureDir, 'cairn.env'), 'utf8').split('\n');
  const env = Object.fromEntries(
    lines
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return {
    ...env,
    CAIRN_API_TLS_CERT_FILE: path.join(secureDir, 'server.pem'),
    CAIRN_API_TLS_KEY_FILE: path.join(secureDir, 'server.key'),
    CAIRN_INTAKE_TLS_CERT_FILE: path.join(secureDir, 'server.pem'),
    CAIRN_INTAKE_TLS_KEY_FILE: path.join(secureDir, 'server.key'),
  };
}

function answers(url) {
  if (!url.startsWith('https:'))
    return fetch(url).then(
      (r) => r.ok,
      () => false,
    );
  return new Promise((resolve) => {
    https
      .get(url, { ca: fs.readFileSync(path.join(secureDir, 'ca.pem')) }, (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      })
      .on('error', () => resolve(false));
  });
}

async function waitReady(name, url, child, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited (code ${child.exitCode}); see ${path.join(runDir, `${name}.log`)}`);
    const ok = await answers(url);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(
    `${name} not ready after ${deadlineMs / 1000}s: ${url}; see ${path.join(runDir, `${name}.log`)}`,
  );
}

async function main() {
  fs.mkdirSync(runDir, { recursive: true });
  say('building');
  step('npm', ['run', '--silent', 'build']);
  step('bash', [path.join(repo, 'tools/local-stack/stack.sh'), 'start', ...(secure ? ['--secure'] : [])]);
  const transport = secure ? secureEnvironment() : {};

  const tokens = developmentTokens();
  const intakeTokens = developmentIntakeTokens();
  const intakePort = process.env.CAIRN_INTAKE_PORT || '4002';
  const scheme = secure ? 'https' : 'http';
  const apiPort = process.env.CAIRN_API_PORT || '4000';
  const ingestPort = process.env.CAIRN_INGEST_PORT || '4001';
  // The push feeds' process runs when the configuration lists feeds (the example lists none).
  const configFile = process.env.CAIRN_CONFIG || path.join(repo, 'config', 'cairn.example.yaml');
  const { parse } = require('yaml');
  const hasFeeds = Array.isArray((parse(fs.readFileSync(configFile, 'utf8')) || {}).feeds);
  const apps = ['ingest', 'api', 'intake', ...(hasFeeds ? ['feed'] : [])].map((name) => {
    const log = fs.openSync(path.join(runDir, `${name}.log`), 'a');
    // Ingest runs with the heap cap it is deployed with (see Dockerfile, docs/performance.md).
    const flags = name === 'ingest' ? ['--max-old-space-size=256'] : [];
    const child = spawn(process.execPath, [...flags, path.join(repo, 'dist/apps', name, 'main.js')], {
      cwd: repo,
      // The demo maps compliance with the example scope unless the user names their own.
      // Development mode: introspection for signed-in callers and a cursor secret made per
      // checkout (production, the default elsewhere, refuses to start without one).
      env: {
        CAIRN_CONFIG: path.join(repo, 'config', 'cairn.example.yaml'),
        CAIRN_MODE: 'development',
        CAIRN_CURSOR_SECRET_FILE: developmentCursorSecret(),
        ...developmentIntegrity(),
        ...process.env,
        ...transport,
        ...tokens.env,
        ...intakeTokens.env,
      },
      stdio: ['ignore', log, log],
    });
    return { name, child };
  });

  let stopping = false;
  const stop = (code) => {
    if (stopping) return;
    stopping = true;
    say('stopping the apps (the local stack keeps running; npm run stack:stop stops it)');
    const alive = apps.filter(({ child }) => child.exitCode === null && child.signalCode === null);
    if (alive.length === 0) process.exit(code);
    let left = alive.length;
    for (const { child } of alive) {
      child.once('exit', () => {
        left -= 1;
        if (left === 0) process.exit(code);
      });
      child.kill('SIGTERM');
    }
    setTimeout(() => {
      for (const { child } of alive) if (child.exitCode === null) child.kill('SIGKILL');
      process.exit(code);
    }, 30_000).unref();
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  for (const { name, child } of apps) {
    child.on('exit', (code, signal) => {
      if (stopping) return;
      console.error(
        `[cairn] ${name} stopped unexpectedly (${signal || `exit ${code}`}); see ${path.join(runDir, `${name}.log`)}`,
      );
      stop(1);
    });
  }

  try {
    await waitReady('ingest', `http://127.0.0.1:${ingestPort}/readyz`, apps[0].child, 90_000);
    await waitReady('api', `${scheme}://localhost:${apiPort}/readyz`, apps[1].child, 90_000);
    await waitReady('intake', `${scheme}://localhost:${intakePort}/readyz`, apps[2].child, 90_000);
  } catch (error) {
    console.error(`[cairn] ${error.message}`);
    stop(1);
    return;
  }
  const graphqlUrl = `${scheme}://localhost:${apiPort}/graphql`;
  if (secure)
    say(
      `secure: Kafka over SASL_SSL, Elasticsearch over TLS via nginx, the API and the intake on HTTPS (CA: ${path.join(secureDir, 'ca.pem')}; curl --cacert it)`,
    );
  say(`ingest ready: consuming cairn.raw.* (health and readiness on http://127.0.0.1:${ingestPort})`);
  say(`GraphQL API ready: ${graphqlUrl}`);
  say(`console: ${scheme}://localhost:${apiPort}/console (sign in with an API token; the admin one below)`);
  say(`SIEM feed export: ${scheme}://localhost:${apiPort}/feed/v1/events?format=ocsf (siem or admin token)`);
  say(
    `webhook intake ready: ${scheme}://localhost:${intakePort}/intake/v1/<kubernetes-audit|distribution|harbor|falco|opa|eks-firehose|gke-pubsub>`,
  );
  if (intakeTokens.dir) say(`local intake tokens, one per source: ${intakeTokens.dir}/<source>`);
  if (hasFeeds) say('push feeds running (status on http://127.0.0.1:4003/status)');
  if (tokens.token) {
    say(`local admin token (in ${path.join(runDir, 'dev-token')}): ${tokens.token}`);
    say(
      `try: curl -s ${secure ? `--cacert ${path.join(secureDir, 'ca.pem')} ` : ''}${graphqlUrl} -H 'content-type: application/json' -H "authorization: Bearer $(cat ${path.join(runDir, 'dev-token')})" ` +
        `-d '{"query":"{ events(first: 5) { totalCount edges { node { timestamp action actor { name } } } } }"}'`,
    );
  }
  say(`logs: ${runDir}/{ingest,api,intake}.log — Ctrl-C stops the apps`);
}

main().catch((error) => {
  console.error(`[cairn] ${error.stack || error}`);
  process.exit(1);
});
