import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { keyIdOf, type SigningKey } from './checkpoint';

export interface IntegrityConfig {
  /** CAIRN_INTEGRITY: chains and checkpoints are on unless turned off explicitly. */
  readonly enabled: boolean;
  /** CAIRN_INTEGRITY_KEY_FILE: the Ed25519 key ingest and the API sign checkpoints with. */
  readonly signingKey?: SigningKey;
  /** Keys a checkpoint may be signed with, by key id: CAIRN_INTEGRITY_PUBLIC_KEY_FILE and the signing key's own. */
  readonly trustedKeys: ReadonlyMap<string, KeyObject>;
  readonly checkpointSeconds: number;
  /** CAIRN_INTEGRITY_CHECKPOINT_DIR: the checkpoint log outside Elasticsearch. */
  readonly checkpointDir: string;
  /** CAIRN_INTEGRITY_VERIFY_SECONDS: how often the scheduled verification runs (0: never). */
  readonly verifySeconds: number;
  /**
   * CAIRN_INTEGRITY_VERIFY_THREADS: worker threads a verification reads and hashes chains on
   * (0: the process's own thread, a few chains at a time).
   */
  readonly verifyThreads: number;
}

export type IntegrityRole = 'ingest' | 'api' | 'command';

export const DEFAULT_CHECKPOINT_DIR = '.cairn/integrity/checkpoints';

const PEM_BLOCK = /-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g;

function integerSetting(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name}: must be a whole number from ${min} to ${max} (got ${JSON.stringify(text)})`);
    return fallback;
  }
  return value;
}

function signingKeyOf(
  path: string,
  read: (path: string) => string,
  problems: string[],
): SigningKey | undefined {
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    problems.push(
      `CAIRN_INTEGRITY_KEY_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
    return undefined;
  }
  try {
    const privateKey = createPrivateKey(text);
    if (privateKey.asymmetricKeyType !== 'ed25519') {
      problems.push(
        `CAIRN_INTEGRITY_KEY_FILE: ${path} holds a ${privateKey.asymmetricKeyType} key; an Ed25519 key is needed`,
      );
      return undefined;
    }
    return { id: keyIdOf(privateKey), privateKey };
  } catch {
    problems.push(
      `CAIRN_INTEGRITY_KEY_FILE: ${path} is not a PEM private key (make one with: cairn integrity-key)`,
    );
    return undefined;
  }
}

function publicKeysOf(path: string, read: (path: string) => string, problems: string[]): KeyObject[] {
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    problems.push(
      `CAIRN_INTEGRITY_PUBLIC_KEY_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
    return [];
  }
  const keys: KeyObject[] = [];
  for (const block of text.match(PEM_BLOCK) ?? []) {
    try {
      const key = createPublicKey(block);
      if (key.asymmetricKeyType === 'ed25519') keys.push(key);
      else
        problems.push(
          `CAIRN_INTEGRITY_PUBLIC_KEY_FILE: ${path} holds a ${key.asymmetricKeyType} key; only Ed25519 keys sign checkpoints`,
        );
    } catch {
      problems.push(`CAIRN_INTEGRITY_PUBLIC_KEY_FILE: ${path} holds a block that is not a public key`);
    }
  }
  if (keys.length === 0 && problems.length === 0) {
    problems.push(`CAIRN_INTEGRITY_PUBLIC_KEY_FILE: ${path} holds no PEM public key`);
  }
  return keys;
}

/**
 * The integrity section of the environment. Ingest and the API sign checkpoints of the chains they
 * write (the API: its access records) and must have a signing key; its public key is trusted, as
 * are those of the public key file (the other writers' keys, old keys after a rotation). The
 * command line asks for keys only when verifying.
 */
export function integrityConfigOf(
  env: Readonly<Record<string, string | undefined>>,
  role: IntegrityRole,
  read: (path: string) => string,
  problems: string[],
): IntegrityConfig {
  const switchText = env.CAIRN_INTEGRITY ?? 'on';
  if (switchText !== 'on' && switchText !== 'off') {
    problems.push(`CAIRN_INTEGRITY: must be on or off (got ${JSON.stringify(switchText)})`);
  }
  const enabled = switchText !== 'off';
  const found: string[] = [];
  const keyFile = env.CAIRN_INTEGRITY_KEY_FILE;
  const signingKey = keyFile ? signingKeyOf(keyFile, read, found) : undefined;
  const publicFile = env.CAIRN_INTEGRITY_PUBLIC_KEY_FILE;
  const trusted = new Map<string, KeyObject>();
  for (const key of publicFile ? publicKeysOf(publicFile, read, found) : []) trusted.set(keyIdOf(key), key);
  if (signingKey) trusted.set(signingKey.id, createPublicKey(signingKey.privateKey));
  if (enabled && role === 'ingest' && !keyFile) {
    found.push(
      'CAIRN_INTEGRITY_KEY_FILE: ingest signs integrity checkpoints and needs an Ed25519 key (make one with: cairn integrity-key; or CAIRN_INTEGRITY=off)',
    );
  }
  if (enabled && role === 'api' && !keyFile) {
    found.push(
      "CAIRN_INTEGRITY_KEY_FILE: the API chains its access records and signs their checkpoints, and needs an Ed25519 key (ingest's or its own, whose public key then goes into ingest's and auditors' CAIRN_INTEGRITY_PUBLIC_KEY_FILE; make one with: cairn integrity-key; or CAIRN_INTEGRITY=off)",
    );
  }
  if (enabled) problems.push(...found);
  return {
    enabled,
    signingKey,
    trustedKeys: trusted,
    checkpointSeconds: integerSetting(env, 'CAIRN_INTEGRITY_CHECKPOINT_SECONDS', 60, 1, 86_400, problems),
    checkpointDir: env.CAIRN_INTEGRITY_CHECKPOINT_DIR || DEFAULT_CHECKPOINT_DIR,
    verifySeconds: integerSetting(env, 'CAIRN_INTEGRITY_VERIFY_SECONDS', 3600, 0, 604_800, problems),
    verifyThreads: integerSetting(env, 'CAIRN_INTEGRITY_VERIFY_THREADS', 3, 0, 64, problems),
  };
}
