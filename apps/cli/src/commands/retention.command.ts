import type { CommandConfig } from '../config/command-config';
import {
  createElasticsearchClient,
  RetentionRunner,
  type RetentionOutcome,
} from '@cairn/elasticsearch-store';
import { CheckpointIndex, CheckpointLog, RetentionStatements } from '@cairn/integrity-store';
import { ConfigError } from '@cairn/config';
import { UsageError } from '../usage-error';

/**
 * `retention --dry-run | --confirm`: deletes the monthly indices past compliance.retention.days
 * except those holding an event on legal hold, and records the run. By hand it must be told which
 * of the two it is to do: deleting audit history is never a default.
 */
export async function retention(
  config: CommandConfig,
  args: readonly string[],
  log: (line: string) => void,
): Promise<RetentionOutcome> {
  const unknown = args.filter((arg) => arg !== '--dry-run' && arg !== '--confirm');
  if (unknown.length > 0) throw new UsageError(`retention: unknown argument ${unknown[0]}`);
  const dryRun = args.includes('--dry-run');
  if (dryRun === args.includes('--confirm')) {
    throw new UsageError('retention: say --dry-run to see what would be deleted, or --confirm to delete it');
  }
  const { integrity } = config;
  if (integrity.enabled && !integrity.signingKey && !dryRun) {
    throw new ConfigError([
      'CAIRN_INTEGRITY_KEY_FILE: retention signs a retention statement for every chain of an index before deleting it, so verification can tell retention from deletion; it needs the signing key (or CAIRN_INTEGRITY=off)',
    ]);
  }
  const client = createElasticsearchClient({ ...config.elasticsearch, requestTimeoutMs: 120_000 });
  try {
    const statements =
      integrity.enabled && integrity.signingKey
        ? new RetentionStatements({
            client,
            index: new CheckpointIndex(client, config.elasticsearch.indexPrefix),
            log: new CheckpointLog(integrity.checkpointDir),
            key: integrity.signingKey,
          })
        : undefined;
    const outcome = await new RetentionRunner(client, config.elasticsearch.indexPrefix).run({
      days: config.compliance.retention.days,
      legalHolds: config.legalHolds,
      dryRun,
      beforeDelete: statements && ((index) => statements.sign(index)),
    });
    for (const entry of outcome.held) log(`retention: keeping ${entry.index}: ${entry.reasons.join('; ')}`);
    log(`retention: ${dryRun ? 'would delete' : 'deleted'} ${outcome.deleted.join(', ') || 'nothing'}`);
    return outcome;
  } finally {
    await client.close();
  }
}
