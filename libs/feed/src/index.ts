export {
  DEFAULT_FEED,
  feedTopic,
  parseFeedDocument,
  parseFeedSection,
  type FeedSettings,
} from './feed-config';
export { FEED_HEADERS, KafkaFeedSink } from './kafka-feed.sink';
export { FeedCursorCodec, InvalidFeedCursorError, type FeedPosition } from './export/feed-cursor';
export type { FeedFilter, Watermarks } from './export/export-query';
export { encodeExportPage, type ExportEncodingOptions } from './export/export-encoding';
export { StoredHit, UnreadableSearchAnswerError } from './export/stored-hits';
export {
  FeedExport,
  KafkaWatermarks,
  type FeedExportOptions,
  type FeedPage,
  type WatermarkSource,
} from './export/feed-export';
export {
  exportPages,
  ExportRefusedError,
  type ExportClientOptions,
  type ExportPage,
  type ExportQuery,
} from './export/export-client';
export { matchesFeedFilter } from './feed-filter';
export { FeedPusher, type Delivery, type PushLog, type PushStatus } from './push/feed-pusher';
export { HecDelivery, HecRefusedError } from './push/hec-delivery';
export {
  DEFAULT_STALLED_AFTER_SECONDS,
  parseFeedsSection,
  SYSLOG_PAYLOADS,
  type HecTarget,
  type PushFeed,
  type SyslogTarget,
} from './push/push-config';
export { SyslogDelivery } from './push/syslog-delivery';
export { SyslogSender, tlsMaterialOf } from './push/syslog-sender';
export {
  decodeProgress,
  encodeProgress,
  FeedState,
  feedStateOf,
  readFeedProgress,
  type DeliveryError,
  type FeedProgress,
  type PartitionStatus,
  type ProgressAdmin,
} from './push/feed-progress';
export { feedGroupOf, FeedStatusReader, type PushFeedStatus } from './push/feed-status-reader';
