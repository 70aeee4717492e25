import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { ConfigError } from '@cairn/config';
import { keyIdOf } from '@cairn/integrity';
import { UsageError } from '../usage-error';

export interface KeyOutput {
  readonly keyId: string;
  readonly publicKey: string;
  readonly written?: string;
}

/**
 * `integrity-key --out FILE`: a new Ed25519 signing key for CAIRN_INTEGRITY_KEY_FILE (never over
 * an existing file); `integrity-key --public`: the public key and key id of CAIRN_INTEGRITY_KEY_FILE,
 * for CAIRN_INTEGRITY_PUBLIC_KEY_FILE of the API and of auditors' verifiers.
 */
export function integrityKey(args: readonly string[], env: NodeJS.ProcessEnv = process.env): KeyOutput {
  if (args[0] === '--out' && args[1] && args.length === 2) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    try {
      writeFileSync(args[1], privateKey.export({ type: 'pkcs8', format: 'pem' }), {
        mode: 0o600,
        flag: 'wx',
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(
        `integrity-key: cannot create ${args[1]} (${code === 'EEXIST' ? 'it exists; a key is never overwritten' : code})`,
      );
    }
    return {
      keyId: keyIdOf(publicKey),
      publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      written: args[1],
    };
  }
  if (args[0] === '--public' && args.length === 1) {
    const file = env.CAIRN_INTEGRITY_KEY_FILE;
    if (!file)
      throw new ConfigError([
        'CAIRN_INTEGRITY_KEY_FILE: not set; it names the signing key whose public key is printed',
      ]);
    let privateKey;
    try {
      privateKey = createPrivateKey(readFileSync(file, 'utf8'));
    } catch {
      throw new ConfigError([`CAIRN_INTEGRITY_KEY_FILE: ${file} is not a readable PEM private key`]);
    }
    const publicKey = createPublicKey(privateKey);
    return {
      keyId: keyIdOf(publicKey),
      publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
  }
  throw new UsageError(
    'integrity-key: --out FILE (a new key) or --public (the public key of CAIRN_INTEGRITY_KEY_FILE)',
  );
}
