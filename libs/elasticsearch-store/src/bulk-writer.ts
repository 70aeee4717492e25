import type { Client } from '@elastic/elasticsearch';
import type { BulkOperationContainer } from '@elastic/elasticsearch/lib/api/types';
import type { AuditEventDocument } from '@cairn/event-schema';
import { monthlyIndexName } from './index-names';

/** The fate of one document in a bulk request. */
export type WriteResult =
  | { readonly status: 'created' }
  /** 409: a document with this id is already stored; replays land here. */
  | { readonly status: 'duplicate' }
  /** 429, 5xx: worth trying again later. */
  | { readonly status: 'retryable'; readonly httpStatus: number; readonly reason: string }
  /** Any other 4xx: this document will never be accepted as it is. */
  | { readonly status: 'rejected'; readonly httpStatus: number; readonly reason: string };

function classify(httpStatus: number, reason: string): WriteResult {
  if (httpStatus === 201 || httpStatus === 200) return { status: 'created' };
  if (httpStatus === 409) return { status: 'duplicate' };
  if (httpStatus === 429 || httpStatus >= 500) return { status: 'retryable', httpStatus, reason };
  return { status: 'rejected', httpStatus, reason };
}

/**
 * Writes documents with `create` and their deterministic id into the monthly index of their own
 * timestamp. A 200 from _bulk says nothing about the items: each item's status is read.
 */
export class BulkWriter {
  constructor(
    private readonly client: Client,
    private readonly indexPrefix: string,
  ) {}

  async write(
    documents: readonly AuditEventDocument[],
    refresh: boolean | 'wait_for' = false,
  ): Promise<WriteResult[]> {
    if (documents.length === 0) return [];
    const operations: (BulkOperationContainer | AuditEventDocument)[] = [];
    for (const document of documents) {
      const index = monthlyIndexName(this.indexPrefix, document['@timestamp']);
      operations.push({ create: { _index: index, _id: document.event.id } }, document);
    }
    // Only what is read below: the full response repeats index, id, version and shards for every
    // item, and parsing it showed up in ingest's CPU profile.
    const response = await this.client.bulk({
      operations,
      refresh,
      filter_path: ['items.*.status', 'items.*.error.type', 'items.*.error.reason'],
    });
    return response.items.map((item) => {
      const result = item.create!;
      const reason = result.error ? `${result.error.type}: ${result.error.reason ?? ''}`.trim() : '';
      return classify(result.status, reason);
    });
  }
}
