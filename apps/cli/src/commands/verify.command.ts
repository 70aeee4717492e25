import type { CommandConfig } from '../config/command-config';
import { ConfigError } from '@cairn/config';
import { createElasticsearchClient } from '@cairn/elasticsearch-store';
import { CheckpointIndex, CheckpointLog, IntegrityAudit, type IntegrityReport } from '@cairn/integrity-store';
import { Progress } from '../progress';
import { UsageError } from '../usage-error';

function dateOption(args: readonly string[], name: string): Date | undefined {
  const at = args.indexOf(name);
  if (at === -1) return undefined;
  const text = args[at + 1];
  const date = new Date(text ?? '');
  if (text === undefined || Number.isNaN(date.getTime()))
    throw new UsageError(`verify: ${name} needs a date (ISO 8601)`);
  return date;
}

/**
 * `verify [--from DATE] [--to DATE]`: recomputes every stored event's hash and link and checks the
 * chains against the signed checkpoints (log and index). Progress on stderr; the report as JSON
 * on stdout; exit 1 when anything was found.
 */
export async function verify(config: CommandConfig, args: readonly string[]): Promise<IntegrityReport> {
  const known = new Set(['--from', '--to']);
  for (let i = 0; i < args.length; i += 2) {
    if (!known.has(args[i]))
      throw new UsageError(`verify: unknown argument ${args[i]} (--from DATE, --to DATE)`);
  }
  const from = dateOption(args, '--from');
  const to = dateOption(args, '--to');
  if (!config.integrity.enabled)
    throw new ConfigError(['CAIRN_INTEGRITY: off, so nothing is chained to verify']);
  if (config.integrity.trustedKeys.size === 0) {
    throw new ConfigError([
      'CAIRN_INTEGRITY_PUBLIC_KEY_FILE: verify needs the public key the checkpoints are signed with (cairn integrity-key --public prints it)',
    ]);
  }
  const elasticsearch = { ...config.elasticsearch, requestTimeoutMs: 120_000 };
  const client = createElasticsearchClient(elasticsearch);
  const prefix = config.elasticsearch.indexPrefix;
  const progress = new Progress('verify');
  try {
    const report = await new IntegrityAudit({
      client,
      indexPrefix: prefix,
      checkpoints: new CheckpointIndex(client, prefix),
      log: new CheckpointLog(config.integrity.checkpointDir),
      trustedKeys: config.integrity.trustedKeys,
      checkpointSeconds: config.integrity.checkpointSeconds,
      threads: { count: config.integrity.verifyThreads, elasticsearch },
    }).verify({ from, to, onProgress: ({ verified, total }) => progress.update(verified, total) });
    progress.update(report.eventsVerified, report.eventsVerified, true);
    return report;
  } finally {
    await client.close();
  }
}
