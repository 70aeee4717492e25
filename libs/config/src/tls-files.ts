import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** PEM files named by settings, read and parsed at start-up so a bad one stops the process there. */
export interface TlsFiles {
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
}

export interface TlsMaterial {
  /** PEM text of the CA certificate(s) to trust instead of the system's. */
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

function readText(path: string, setting: string, problems: string[]): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(`${setting}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}

/** Every certificate in the file must parse (a CA bundle may hold several). */
export function readCertificates(path: string, setting: string, problems: string[]): string | undefined {
  const text = readText(path, setting, problems);
  if (text === undefined) return undefined;
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) {
    problems.push(`${setting}: ${path} holds no PEM certificate`);
    return undefined;
  }
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch {
      problems.push(`${setting}: ${path} holds a certificate that does not parse`);
      return undefined;
    }
  }
  return text;
}

function parseKey(text: string): KeyObject | undefined {
  try {
    return createPrivateKey(text);
  } catch {
    return undefined;
  }
}

// The message names the file, never its contents: a key file's text is the secret itself.
export function readPrivateKey(path: string, setting: string, problems: string[]): string | undefined {
  const text = readText(path, setting, problems);
  if (text === undefined) return undefined;
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(text)) {
    problems.push(`${setting}: ${path} is an encrypted key; give an unencrypted one (keep it in a secret)`);
    return undefined;
  }
  if (!parseKey(text)) {
    problems.push(`${setting}: ${path} holds no PEM private key`);
    return undefined;
  }
  return text;
}

/**
 * The CA, client certificate and key a client connects with, each checked: the certificate and
 * key go together and must be a pair. `prefix` names the settings (KAFKA_TLS → KAFKA_TLS_CA_FILE).
 */
export function readTlsMaterial(files: TlsFiles, prefix: string, problems: string[]): TlsMaterial {
  const ca = files.caFile ? readCertificates(files.caFile, `${prefix}_CA_FILE`, problems) : undefined;
  if ((files.certFile === undefined) !== (files.keyFile === undefined)) {
    problems.push(
      `${prefix}_CERT_FILE: a certificate needs its key (${prefix}_KEY_FILE), and a key its certificate`,
    );
    return { ca };
  }
  if (!files.certFile || !files.keyFile) return { ca };
  const cert = readCertificates(files.certFile, `${prefix}_CERT_FILE`, problems);
  const key = readPrivateKey(files.keyFile, `${prefix}_KEY_FILE`, problems);
  if (cert === undefined || key === undefined) return { ca };
  const first = cert.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)![0];
  if (!new X509Certificate(first).checkPrivateKey(parseKey(key)!)) {
    problems.push(`${prefix}_KEY_FILE: ${files.keyFile} is not the key of ${files.certFile}`);
    return { ca };
  }
  return { ca, cert, key };
}
