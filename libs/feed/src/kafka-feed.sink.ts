import type { Producer } from 'kafkajs';
import type { AuditEventDocument } from '@cairn/event-schema';
import type { FeedSink } from '@cairn/pipeline';
import { FORMATS, type EncodeOptions, type SiemFormat } from '@cairn/siem-formats';
import { feedTopic, type FeedSettings } from './feed-config';

/** Headers of every feed record; the key is the event id, the value the encoded event. */
export const FEED_HEADERS = {
  format: 'cairn.feed.format',
  product: 'cairn.product',
  /** Present when the encoded event was over the topic's limit and was written without event.original. */
  originalOmitted: 'cairn.feed.original_omitted',
} as const;

/** What the sink reports (ingest's metrics implement it). */
export interface FeedObserver {
  onFeed?(format: string, count: number): void;
}

/** Leaves room for the key, the headers and Kafka's record overhead below max.message.bytes. */
const RECORD_HEADROOM_BYTES = 16 * 1024;

/**
 * The feed topics as a pipeline sink: each stored event, encoded once per configured format,
 * keyed by its id (the dedupe key: a replay after a crash writes it again), resolved only when
 * every in-sync replica has it (acks -1), so the raw offset is committed after the feed is durable.
 */
export class KafkaFeedSink implements FeedSink {
  private readonly maxValueBytes: number;

  constructor(
    private readonly producer: Producer,
    private readonly settings: FeedSettings,
    /** The feed topics' max.message.bytes. */
    maxMessageBytes: number,
    private readonly observer?: FeedObserver,
  ) {
    this.maxValueBytes = maxMessageBytes - RECORD_HEADROOM_BYTES;
  }

  get formats(): readonly SiemFormat[] {
    return this.settings.formats;
  }

  async publish(documents: readonly AuditEventDocument[]): Promise<void> {
    if (documents.length === 0 || this.settings.formats.length === 0) return;
    const options = { hec: { index: this.settings.hecIndex } };
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: this.settings.formats.map((format) => ({
        topic: feedTopic(this.settings, format),
        messages: documents.map((document) => this.record(document, format, options)),
      })),
    });
    for (const format of this.settings.formats) this.observer?.onFeed?.(format, documents.length);
  }

  /**
   * A record the topic would refuse would stall the partition forever; the raw bytes are what can
   * grow past the limit (JSON escaping), so such an event is written without event.original,
   * flagged in the record and in cairn.original.truncated. The stored event keeps its original.
   */
  private record(document: AuditEventDocument, format: SiemFormat, options: EncodeOptions) {
    const headers: Record<string, string> = {
      [FEED_HEADERS.format]: format,
      [FEED_HEADERS.product]: document.cairn.product,
    };
    let value = FORMATS[format].encode(document, options);
    if (Buffer.byteLength(value) > this.maxValueBytes && document.event.original !== undefined) {
      const { original: _original, ...event } = document.event;
      const size = document.cairn.original?.size ?? Buffer.byteLength(document.event.original);
      const lighter = {
        ...document,
        event,
        cairn: { ...document.cairn, original: { ...document.cairn.original, size, truncated: true } },
      };
      value = FORMATS[format].encode(lighter, options);
      headers[FEED_HEADERS.originalOmitted] = 'true';
    }
    return { key: document.event.id, value, headers };
  }
}
