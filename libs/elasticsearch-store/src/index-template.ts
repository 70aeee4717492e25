import type {
  IndicesCreateRequest,
  IndicesPutIndexTemplateRequest,
  MappingProperty,
} from '@elastic/elasticsearch/lib/api/types';
import type { ElasticsearchConfig } from '@cairn/config';
import {
  FIELD_CATALOG,
  KEYWORD_MAX_LENGTH,
  SCHEMA_VERSION,
  type FieldSpec,
  type FieldType,
} from '@cairn/event-schema';
import { identityIndexName, indexPattern, readAlias } from './index-names';

function propertyFor(type: FieldType): MappingProperty {
  switch (type) {
    case 'stored':
      // Kept in _source for forensics; neither searchable nor aggregatable, so any size fits.
      return { type: 'keyword', index: false, doc_values: false };
    case 'keyword':
      return { type: 'keyword', ignore_above: KEYWORD_MAX_LENGTH };
    case 'text':
      return { type: 'text' };
    case 'date':
      return { type: 'date' };
    case 'long':
      return { type: 'long' };
    case 'integer':
      return { type: 'integer' };
    case 'boolean':
      return { type: 'boolean' };
    case 'ip':
      return { type: 'ip' };
  }
}

type Properties = Record<string, MappingProperty>;

/** Nested `properties` for dotted catalog names; an unknown field is refused by `dynamic: strict`. */
export function mappingProperties(catalog: readonly FieldSpec[] = FIELD_CATALOG): Properties {
  const root: Properties = {};
  for (const field of catalog) {
    const parts = field.name.split('.');
    let level = root;
    for (const part of parts.slice(0, -1)) {
      const existing = level[part] as { properties?: Properties } | undefined;
      if (existing && !existing.properties)
        throw new Error(`field catalog: ${field.name} nests under a leaf`);
      const object = existing ?? { properties: {} };
      level[part] = object;
      level = object.properties!;
    }
    const leaf = parts[parts.length - 1];
    if (level[leaf]) throw new Error(`field catalog: ${field.name} is declared twice`);
    level[leaf] = propertyFor(field.type);
  }
  return root;
}

export function indexTemplateName(prefix: string): string {
  return prefix;
}

/** Shards, replicas and refresh as configured: the same for the monthly indices and the identity index. */
function indexSettings(config: ElasticsearchConfig) {
  return {
    number_of_shards: config.shards,
    number_of_replicas: config.replicas,
    refresh_interval: config.refreshInterval,
  };
}

/** The identity index (see BulkWriter): one claim per event id, with its month and fingerprint. */
export function buildIdentityIndex(config: ElasticsearchConfig): IndicesCreateRequest {
  return {
    index: identityIndexName(config.indexPrefix),
    settings: indexSettings(config),
    mappings: {
      dynamic: 'strict',
      _meta: { managed_by: 'cairn' },
      properties: {
        index: { type: 'keyword' },
        fingerprint: { type: 'keyword', index: false, doc_values: false },
      },
    },
  };
}

export function buildIndexTemplate(config: ElasticsearchConfig): IndicesPutIndexTemplateRequest {
  return {
    name: indexTemplateName(config.indexPrefix),
    index_patterns: [indexPattern(config.indexPrefix)],
    priority: 200,
    _meta: { managed_by: 'cairn', schema_version: SCHEMA_VERSION },
    template: {
      settings: {
        ...indexSettings(config),
        // Verification reads each chain in seq order: stored in that order, those reads are
        // sequential instead of a sort over the whole index. Applies to indices created after it.
        sort: { field: ['cairn.integrity.chain', 'cairn.integrity.seq'], order: ['asc', 'asc'] },
      },
      mappings: {
        dynamic: 'strict',
        _meta: { schema_version: SCHEMA_VERSION },
        properties: mappingProperties(),
      },
      aliases: { [readAlias(config.indexPrefix)]: {} },
    },
  };
}
