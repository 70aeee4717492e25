import { mkdtempSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointLog } from './checkpoint-log';

function logWith(files: Record<string, string>, ageMs = 0) {
  const directory = mkdtempSync(join(tmpdir(), 'cairn-checkpoint-log-'));
  const chainDir = join(directory, 'orchestrator_0');
  mkdirSync(chainDir);
  for (const [name, text] of Object.entries(files)) {
    const path = join(chainDir, name);
    writeFileSync(path, text);
    const at = new Date(Date.now() - ageMs);
    utimesSync(path, at, at);
  }
  return new CheckpointLog(directory);
}

describe('CheckpointLog.read', () => {
  it('passes over a checkpoint being written (no closing newline yet, just created)', async () => {
    const read = await logWith({
      '0000000000000025-1-ab.json': '',
      '0000000000000026-2-cd.json': '{"chain":',
    }).read();
    expect(read.malformed).toEqual([]);
  });

  it('reports an unfinished file once it is older than a write takes', async () => {
    const read = await logWith({ '0000000000000025-1-ab.json': '{"chain":' }, 120_000).read();
    expect(read.malformed).toEqual([expect.stringContaining('0000000000000025-1-ab.json')]);
  });

  it('reports a complete file that is not a checkpoint at once', async () => {
    const read = await logWith({ '0000000000000025-1-ab.json': '{"chain":"x"}\n' }).read();
    expect(read.malformed).toEqual([expect.stringContaining('0000000000000025-1-ab.json')]);
  });
});
