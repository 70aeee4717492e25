export const LOGGER = Symbol('Logger');
export const RATE_LIMIT_PER_MINUTE = Symbol('RateLimitPerMinute');
export const FEED_HEC_INDEX = Symbol('FeedHecIndex');
export const SERVES_HTTPS = Symbol('ServesHttps');
