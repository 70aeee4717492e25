import type { Client } from '@elastic/elasticsearch';
import type { ElasticsearchConfig } from '@cairn/config';
import { statusOf } from './elasticsearch-client';
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
  await createIdentityIndex(client, config);
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

/** The identity index (see BulkWriter): created once, never by a dynamic mapping. */
async function createIdentityIndex(client: Client, config: ElasticsearchConfig): Promise<void> {
  const request = buildIdentityIndex(config);
  if (await client.indices.exists({ index: request.index })) return;
  try {
    await client.indices.create(request);
  } catch (error) {
    // Another process created it between the check and the create.
    const type = (error as { body?: { error?: { type?: string } } }).body?.error?.type;
    if (statusOf(error) !== 400 || type !== 'resource_already_exists_exception') throw error;
  }
}
