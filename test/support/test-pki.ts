import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throw-away CA with a server and a client certificate, made by openssl for one test run. */
export interface TestPki {
  readonly dir: string;
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  /** A CA that signed none of the above: trusting it must fail. */
  readonly otherCaCert: string;
  /** A key that belongs to no certificate here. */
  readonly strayKey: string;
}

const openssl = (dir: string, args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

function newKey(dir: string, name: string): string {
  openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', name]);
  return join(dir, name);
}

function selfSignedCa(dir: string, name: string, subject: string): string {
  const key = newKey(dir, `${name}.key`);
  openssl(dir, ['req', '-x509', '-new', '-key', key, '-subj', subject, '-days', '2', '-out', `${name}.pem`]);
  return join(dir, `${name}.pem`);
}

function signed(dir: string, name: string, subject: string, extensions: string): string {
  const key = newKey(dir, `${name}.key`);
  openssl(dir, ['req', '-new', '-key', key, '-subj', subject, '-out', `${name}.csr`]);
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.pem`,
  ]);
  return join(dir, `${name}.pem`);
}

export function makeTestPki(dir = mkdtempSync(join(tmpdir(), 'cairn-pki-'))): TestPki {
  const caCert = selfSignedCa(dir, 'ca', '/CN=Cairn test CA');
  const serverCert = signed(
    dir,
    'server',
    '/CN=localhost',
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
  );
  const clientCert = signed(dir, 'client', '/CN=cairn-client/O=Cairn tests', 'extendedKeyUsage=clientAuth\n');
  const otherCaCert = selfSignedCa(dir, 'other-ca', '/CN=Somebody else');
  return {
    dir,
    caCert,
    serverCert,
    serverKey: join(dir, 'server.key'),
    clientCert,
    clientKey: join(dir, 'client.key'),
    otherCaCert,
    strayKey: newKey(dir, 'stray.key'),
  };
}
