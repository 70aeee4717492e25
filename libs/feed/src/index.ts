export {
  DEFAULT_FEED,
  feedTopic,
  parseFeedDocument,
  parseFeedSection,
  type FeedSettings,
} from './feed-config';
export { FEED_HEADERS, KafkaFeedSink } from './kafka-feed.sink';
