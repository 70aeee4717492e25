import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { REPO } from './local-stack';

const run = promisify(execFile);

/** Debian's docker-registry and skopeo, installed by the project's script when missing (CI is root). */
export function ensureRegistryPeers(): void {
  execFileSync('bash', [join(REPO, 'tools/receivers/install-registry.sh')], { stdio: 'pipe' });
}

export interface RunningRegistry {
  readonly address: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Docker Distribution on a loopback port with filesystem storage, its notifications endpoint
 * pointing at the intake with the sender's bearer token, retried quickly as its own backoff says.
 */
export async function startRegistry(
  port: number,
  notify: { url: string; token: string },
): Promise<RunningRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-registry-'));
  const config = [
    'version: 0.1',
    'log:',
    '  level: info',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    'notifications:',
    '  endpoints:',
    '    - name: cairn',
    `      url: ${notify.url}`,
    '      headers:',
    `        Authorization: [Bearer ${notify.token}]`,
    '      timeout: 2s',
    '      threshold: 3',
    '      backoff: 1s',
  ].join('\n');
  writeFileSync(join(dir, 'config.yml'), `${config}\n`);
  const child: ChildProcess = spawn('docker-registry', ['serve', join(dir, 'config.yml')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const address = `127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}:\n${output}`);
    const ok = await fetch(`http://${address}/v2/`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`docker-registry did not answer within 30 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    address,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface OciImage {
  readonly layout: string;
  readonly tag: string;
  readonly manifestDigest: string;
  cleanup(): void;
}

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** An OCI image layout built from files written here: one layer (a tar of a text file), its config and manifest. */
export async function buildOciImage(tag: string, content: string): Promise<OciImage> {
  const root = mkdtempSync(join(tmpdir(), 'cairn-oci-'));
  const files = join(root, 'files');
  mkdirSync(join(files, 'etc'), { recursive: true });
  writeFileSync(join(files, 'etc', 'cairn-test'), content);
  await run('tar', [
    '--sort=name',
    '--mtime=@0',
    '--owner=0',
    '--group=0',
    '-C',
    files,
    '-cf',
    join(root, 'layer.tar'),
    'etc',
  ]);
  const tar = readFileSync(join(root, 'layer.tar'));
  const layer = gzipSync(tar);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: sha256(config),
        size: config.length,
      },
      layers: [
        {
          mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
          digest: sha256(layer),
          size: layer.length,
        },
      ],
    }),
  );
  const layout = join(root, 'layout');
  const blobs = join(layout, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  for (const blob of [layer, config, manifest]) writeFileSync(join(blobs, sha256(blob).slice(7)), blob);
  writeFileSync(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(layout, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: sha256(manifest),
          size: manifest.length,
          annotations: { 'org.opencontainers.image.ref.name': tag },
        },
      ],
    }),
  );
  return {
    layout,
    tag,
    manifestDigest: sha256(manifest),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** skopeo copy, plain HTTP to the loopback registry. */
export async function skopeoCopy(source: string, destination: string): Promise<void> {
  await run(
    'skopeo',
    ['copy', '--src-tls-verify=false', '--dest-tls-verify=false', '--insecure-policy', source, destination],
    {
      timeout: 120_000,
    },
  );
}
