import { mkdir, open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  isSignedCheckpoint,
  isSignedRetentionStatement,
  type SignedCheckpoint,
  type SignedRetentionStatement,
} from '@cairn/integrity';
import type { SignedStatements } from './checkpoint-index';

const RETENTION = 'retention-';
/**
 * A file is created empty, then written in full with its closing newline: one without that newline
 * and younger than this is a checkpoint being written right now (a verification running beside
 * the checkpointer), not damage. Older, it is reported: a write that never finished, or a cut.
 */
const BEING_WRITTEN_MS = 60_000;

/** A chain name as a directory name: topic names may hold dots and dashes; the slash before the partition goes. */
const directoryOf = (chain: string) => chain.replace(/[^A-Za-z0-9._-]/g, '_');

/**
 * The checkpoint log outside Elasticsearch: one file per checkpoint, created once and never
 * changed (exclusive create, written in full, flushed), under <dir>/<chain>/. No file is ever
 * appended to, renamed or deleted, so the directory can be a write-once volume (object lock,
 * WORM NFS) where deleting the checkpoint index, or a checkpoint, leaves this copy intact.
 */
export class CheckpointLog {
  constructor(readonly directory: string) {}

  append(checkpoint: SignedCheckpoint): Promise<string> {
    const name = `${String(checkpoint.seq).padStart(16, '0')}-${Date.parse(checkpoint.at)}-${checkpoint.digest.slice(0, 16)}.json`;
    return this.create(checkpoint, name);
  }

  /** A retention statement, in its chain's directory under a name no checkpoint has. */
  appendRetention(statement: SignedRetentionStatement): Promise<string> {
    const name = `${RETENTION}${String(statement.through).padStart(16, '0')}-${Date.parse(statement.at)}-${statement.digest.slice(0, 16)}.json`;
    return this.create(statement, name);
  }

  private async create(
    statement: SignedCheckpoint | SignedRetentionStatement,
    name: string,
  ): Promise<string> {
    const dir = join(this.directory, directoryOf(statement.chain));
    await mkdir(dir, { recursive: true });
    const path = join(dir, name);
    const file = await open(path, 'wx', 0o444);
    try {
      await file.writeFile(`${JSON.stringify(statement)}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    return path;
  }

  /** The newest checkpoint of one chain in this log (by the time in its file name). */
  async latest(chain: string): Promise<SignedCheckpoint | undefined> {
    const dir = join(this.directory, directoryOf(chain));
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const timeOf = (name: string) => Number(name.split('-')[1]);
    const newest = names
      .filter((name) => !name.startsWith(RETENTION) && Number.isFinite(timeOf(name)))
      .sort((a, b) => timeOf(a) - timeOf(b))
      .pop();
    if (!newest) return undefined;
    try {
      const parsed: unknown = JSON.parse(await readFile(join(dir, newest), 'utf8'));
      return isSignedCheckpoint(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  /** Every checkpoint and retention statement in the log; files that are neither are named apart. Absent directory: none. */
  async read(): Promise<SignedStatements & { present: boolean }> {
    const checkpoints: SignedCheckpoint[] = [];
    const retention: SignedRetentionStatement[] = [];
    const malformed: string[] = [];
    let chains: string[];
    try {
      chains = await readdir(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return { checkpoints, retention, malformed, present: false };
      throw error;
    }
    for (const chain of chains) {
      for (const name of await readdir(join(this.directory, chain))) {
        const path = join(this.directory, chain, name);
        try {
          const text = await readFile(path, 'utf8');
          if (!text.endsWith('\n') && (await beingWritten(path))) continue;
          const parsed: unknown = JSON.parse(text);
          if (name.startsWith(RETENTION)) {
            if (isSignedRetentionStatement(parsed)) retention.push(parsed);
            else malformed.push(path);
          } else if (isSignedCheckpoint(parsed)) checkpoints.push(parsed);
          else malformed.push(path);
        } catch {
          malformed.push(path);
        }
      }
    }
    return { checkpoints, retention, malformed, present: true };
  }
}

async function beingWritten(path: string): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs < BEING_WRITTEN_MS;
  } catch {
    return false;
  }
}
