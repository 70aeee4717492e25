import type { Client } from '@elastic/elasticsearch';
import type { ElasticsearchConfig } from '@cairn/config';
import { createIndexIfMissing, statusOf } from './elasticsearch-client';
import { buildIdentityIndex, buildIndexTemplate } from './index-template';
import { indexPattern } from './index-names';

export interface TemplateInstallation {
  /** Existing indices whose mapping could not take the catalog's (a field of another type). */
  readonly conflicts: { readonly index: string; readonly reason: string }[];
}

/**
 * Installs (or replaces) the index template, then adds any newly declared fields to the monthly
 * indices that already exist, since a template only shapes indices created after it. One index
 * whose mapping conflicts is reported, not fatal: refusing to start would stop ingest for every
 * month because of one, while its conflicting documents still reach the dead-letter topic.
 */
export async function installIndexTemplate(
  client: Client,
  config: ElasticsearchConfig,
): Promise<TemplateInstallation> {
  const template = buildIndexTemplate(config);
  await client.indices.putIndexTemplate(template);
  // The identity index (see BulkWriter): created once, never by a dynamic mapping.
  await createIndexIfMissing(client, buildIdentityIndex(config));
  const existing = await client.indices.get({
    index: indexPattern(config.indexPrefix),
    allow_no_indices: true,
    expand_wildcards: 'open',
    features: ['settings'],
  });
  const conflicts: { index: string; reason: string }[] = [];
  for (const index of Object.keys(existing)) {
    try {
      await client.indices.putMapping({ index, properties: template.template!.mappings!.properties! });
    } catch (error) {
      if (statusOf(error) !== 400) throw error;
      conflicts.push({ index, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { conflicts };
}
