export { BulkWriter, type BulkWriterOptions, type IdentityClaim, type WriteResult } from './bulk-writer';
export {
  createElasticsearchClient,
  elasticsearchReachable,
  searchFailureOf,
  statusOf,
  type SearchFailure,
} from './elasticsearch-client';
export { buildEventQuery, type EventSearchFilter } from './event-query';
export {
  DEFAULT_MAX_OPEN_PIT_PER_CALLER,
  EventSearch,
  type EventSearchOptions,
  type EventSearchHit,
  type EventSearchRequest,
  type EventSearchResult,
  type TimelineSubject,
} from './event-search';
export { identityIndexName, indexPattern, monthlyIndexName, readAlias } from './index-names';
export { buildIndexTemplate, indexTemplateName, mappingProperties } from './index-template';
export { installIndexTemplate, type TemplateInstallation } from './index-template.installer';
export { CursorCodec, InvalidCursorError, type CursorPosition } from './search-cursor';
export {
  EventAggregations,
  HISTOGRAM_INTERVAL,
  intervalMs,
  MAX_HISTOGRAM_BUCKETS,
  STATS_FIELDS,
  TooManyBucketsError,
  type Bucket,
  type StatsField,
  type TimeBucket,
} from './event-aggregations';
export {
  ComplianceAggregations,
  quietStretches,
  type ControlEvidence,
  type FailedVerification,
  type FieldPresence,
  type RetentionRun,
  type SilenceGap,
  type SourceCompleteness,
} from './compliance-aggregations';
export { ComplianceRetagger, type RetagOptions, type RetagProgress } from './compliance-retagger';
export { StoreReader, type SearchOptions } from './store-reader';
export { PointInTimeBudget } from './point-in-time-budget';
export { RetentionRunner, type RetentionOptions, type RetentionOutcome } from './retention-runner';
export { elasticsearchRefusalOf } from './elasticsearch-refusal';
export { assertWholeRefresh, foundDocuments, IncompleteAnswerError, WHOLE_ANSWER } from './whole-answers';
