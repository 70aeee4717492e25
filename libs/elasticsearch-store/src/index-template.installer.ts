import type { Client } from '@elastic/elasticsearch';
import type { ElasticsearchConfig } from '@cairn/config';
import { buildIndexTemplate } from './index-template';
import { indexPattern } from './index-names';

/**
 * Installs (or replaces) the index template, then adds any newly declared fields to the monthly
 * indices that already exist, since a template only shapes indices created after it.
 */
export async function installIndexTemplate(client: Client, config: ElasticsearchConfig): Promise<void> {
  const template = buildIndexTemplate(config);
  await client.indices.putIndexTemplate(template);
  const existing = await client.indices.get({
    index: indexPattern(config.indexPrefix),
    allow_no_indices: true,
    expand_wildcards: 'open',
    features: ['settings'],
  });
  if (Object.keys(existing).length === 0) return;
  await client.indices.putMapping({
    index: indexPattern(config.indexPrefix),
    properties: template.template!.mappings!.properties!,
  });
}
