import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { REPO } from './local-stack';

/** Where the console tests keep their screenshots (the README shows copies of them). */
export const SCREENSHOTS = join(REPO, 'test-results', 'console');

/**
 * Debian's Chromium, headless, installed on first use. Background networking off: this machine's
 * network is closed, and the console must work without anything but its own origin anyway.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = execFileSync('bash', [join(REPO, 'tools/receivers/install-chromium.sh')], {
    encoding: 'utf8',
  }).trim();
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
