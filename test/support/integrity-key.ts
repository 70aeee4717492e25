import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** For the configuration specs: a signing key file, as every ingest and API process now has one. */
export function signingKeyEnvironment(): { CAIRN_INTEGRITY_KEY_FILE: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-integrity-key-'));
  const file = join(dir, 'signing-key.pem');
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return { CAIRN_INTEGRITY_KEY_FILE: file };
}
