import type { RawMessage } from './pipeline.types';

export interface ChunkLimits {
  readonly maxEvents: number;
  readonly maxBytes: number;
}

/**
 * Cuts a fetched batch into consecutive chunks of at most `maxEvents` messages and `maxBytes` raw
 * bytes, so one bulk request, and the documents built for it, stay bounded whatever Kafka hands
 * over. A single message larger than `maxBytes` forms a chunk of its own rather than being refused:
 * its size is the normalizer's business (it dead-letters what is over the message limit).
 */
export function chunkMessages<T extends RawMessage>(messages: readonly T[], limits: ChunkLimits): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = message.value?.length ?? 0;
    if (current.length > 0 && (current.length >= limits.maxEvents || bytes + size > limits.maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
