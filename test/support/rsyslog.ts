import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './local-stack';

/** A throw-away CA and a server certificate for localhost / 127.0.0.1, made with openssl. */
export function throwAwayCertificates(dir: string): { ca: string; cert: string; key: string } {
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=cairn test CA',
    '-keyout',
    at('ca.key'),
    '-out',
    at('ca.pem'),
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    at('server.key'),
    '-out',
    at('server.csr'),
  );
  writeFileSync(at('san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  openssl(
    'x509',
    '-req',
    '-in',
    at('server.csr'),
    '-CA',
    at('ca.pem'),
    '-CAkey',
    at('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    at('san.ext'),
    '-out',
    at('server.pem'),
  );
  return { ca: at('ca.pem'), cert: at('server.pem'), key: at('server.key') };
}

export interface Rsyslog {
  readonly port: number;
  readonly output: string;
  readonly ca: string;
  /** Lines written so far (one per received message). */
  lines(): string[];
  stop(): Promise<void>;
  start(): Promise<void>;
}

// One line per message: what rsyslog parsed of the RFC 5424 header, its structured data, the message.
const TEMPLATE =
  '%pri%|%protocol-version%|%timereported:::date-rfc3339%|%hostname%|%app-name%|%procid%|%msgid%|%structured-data%|%msg%\\n';

/**
 * Debian's rsyslogd as a TLS syslog receiver (imtcp with the GnuTLS driver, RFC 5425, octet-counted
 * framing), writing what it receives to a file. Started and stopped by pid.
 */
export async function startRsyslog(port: number): Promise<Rsyslog> {
  execFileSync('bash', [join(REPO, 'tools/receivers/install-rsyslog.sh')], { stdio: 'pipe' });
  const dir = mkdtempSync(join(tmpdir(), 'cairn-rsyslog-'));
  const { ca, cert, key } = throwAwayCertificates(dir);
  const output = join(dir, 'received.log');
  const config = join(dir, 'rsyslog.conf');
  writeFileSync(
    config,
    [
      `global(workDirectory="${dir}" defaultNetstreamDriver="gtls" defaultNetstreamDriverCAFile="${ca}"`,
      `       defaultNetstreamDriverCertFile="${cert}" defaultNetstreamDriverKeyFile="${key}" maxMessageSize="1m")`,
      'module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")',
      `template(name="cairn" type="string" string="${TEMPLATE}")`,
      'ruleset(name="cairn") { action(type="omfile" file="' +
        output +
        '" template="cairn" flushOnTXEnd="on" asyncWriting="off") }',
      `input(type="imtcp" port="${port}" ruleset="cairn")`,
      '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  let log = '';
  const receiver: Rsyslog = {
    port,
    output,
    ca,
    lines: () => (existsSync(output) ? readFileSync(output, 'utf8').split('\n').filter(Boolean) : []),
    start: async () => {
      child = spawn('rsyslogd', ['-n', '-f', config, '-i', join(dir, 'rsyslog.pid')], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
      await waitListening(
        port,
        () => child?.exitCode ?? null,
        () => log,
      );
    },
    stop: async () => {
      if (!child || child.exitCode !== null) return;
      const ended = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await ended;
    },
  };
  await receiver.start();
  return receiver;
}

async function waitListening(port: number, exitCode: () => number | null, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (exitCode() !== null) throw new Error(`rsyslogd exited (${exitCode()}):\n${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`rsyslogd did not listen on ${port}:\n${log()}`);
}
