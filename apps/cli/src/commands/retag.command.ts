import type { CommandConfig } from '../config/command-config';
import { ComplianceEngine } from '@cairn/compliance';
import {
  ComplianceRetagger,
  createElasticsearchClient,
  installIndexTemplate,
  type RetagProgress,
} from '@cairn/elasticsearch-store';
import { UsageError } from '../usage-error';

/**
 * `retag [--dry-run]`: brings every stored event's compliance tags to the current catalog and
 * scope. Prints progress to stderr and the totals as one JSON line to stdout.
 */
export async function retag(
  config: CommandConfig,
  args: readonly string[],
  log: (line: string) => void,
): Promise<RetagProgress & { version: string; dryRun: boolean }> {
  const unknown = args.filter((arg) => arg !== '--dry-run');
  if (unknown.length > 0) throw new UsageError(`retag: unknown argument ${unknown[0]} (only --dry-run)`);
  const dryRun = args.includes('--dry-run');
  const engine = new ComplianceEngine(config.compliance);
  const client = createElasticsearchClient({ ...config.elasticsearch, requestTimeoutMs: 120_000 });
  try {
    // Indices made before the catalog had cairn.compliance need the field mapped first.
    if (!dryRun) await installIndexTemplate(client, config.elasticsearch);
    const totals = await new ComplianceRetagger(client, config.elasticsearch.indexPrefix).run({
      version: engine.version,
      controlsFor: (document) => engine.controlsFor(document),
      dryRun,
      onProgress: (p) =>
        log(`retag: ${p.scanned}/${p.stale} scanned, ${p.changed} changed, ${p.failed} failed`),
    });
    return { ...totals, version: engine.version, dryRun };
  } finally {
    await client.close();
  }
}
