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
export {
  FeedExport,
  KafkaWatermarks,
  type FeedExportOptions,
  type FeedPage,
  type WatermarkSource,
} from './export/feed-export';
