import type { Client } from '@elastic/elasticsearch';
import type { BulkOperationContainer, BulkResponse } from '@elastic/elasticsearch/lib/api/types';
import { contentFingerprint, type AuditEventDocument } from '@cairn/event-schema';
import { identityIndexName, monthlyIndexName } from './index-names';

/** The fate of one document in a bulk request. */
export type WriteResult =
  | { readonly status: 'created' }
  /** 409, or the same event already stored under another month: replays land here. */
  | { readonly status: 'duplicate' }
  /** The id is stored for an event with other content: someone claims another event's identity. */
  | {
      readonly status: 'conflict';
      readonly storedIndex: string;
      readonly storedFingerprint: string;
      readonly fingerprint: string;
    }
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

/** What an identity claim stores: where the event is, and what it said. */
export interface IdentityClaim {
  readonly index: string;
  readonly fingerprint: string;
}

// Only what is read: the full response repeats index, id, version and shards for every item,
// and parsing it showed up in ingest's CPU profile.
const ITEM_FIELDS = ['items.*.status', 'items.*.error.type', 'items.*.error.reason'];

function itemResults(response: BulkResponse): WriteResult[] {
  return response.items.map((item) => {
    const result = item.create!;
    const reason = result.error ? `${result.error.type}: ${result.error.reason ?? ''}`.trim() : '';
    return classify(result.status, reason);
  });
}

export interface BulkWriterOptions {
  /**
   * Claim each id in the identity index before storing it, so an id exists once in the whole
   * store whatever month its timestamp names. Off only for ids that are unique by construction
   * (the API's access records).
   */
  readonly claimIdentities?: boolean;
}

/**
 * Writes documents with `create` and their deterministic id into the monthly index of their own
 * timestamp. A 200 from _bulk says nothing about the items: each item's status is read.
 *
 * `create` alone is unique per index only, and events choose their month. So each id is first
 * claimed (`create`) in one identity index holding its month and content fingerprint; a taken
 * claim decides: same content in the same month is written again (idempotent: a crash may have
 * come between claim and event), same content elsewhere is a duplicate (a replay with a shifted
 * timestamp), other content is a conflict for the dead-letter topic, never a silent drop.
 */
export class BulkWriter {
  private readonly identityIndex: string;

  constructor(
    private readonly client: Client,
    private readonly indexPrefix: string,
    private readonly options: BulkWriterOptions = { claimIdentities: true },
  ) {
    this.identityIndex = identityIndexName(indexPrefix);
  }

  async write(
    documents: readonly AuditEventDocument[],
    refresh: boolean | 'wait_for' = false,
  ): Promise<WriteResult[]> {
    if (documents.length === 0) return [];
    const indices = documents.map((document) => monthlyIndexName(this.indexPrefix, document['@timestamp']));
    if (!this.options.claimIdentities) return this.store(documents, indices, refresh);
    const results = new Array<WriteResult | undefined>(documents.length);
    const claims = documents.map((document, i) => ({
      index: indices[i],
      fingerprint: contentFingerprint(document),
    }));
    const operations: (BulkOperationContainer | IdentityClaim)[] = [];
    documents.forEach((document, i) => {
      operations.push({ create: { _index: this.identityIndex, _id: document.event.id } }, claims[i]);
    });
    const claimed = itemResults(await this.client.bulk({ operations, filter_path: ITEM_FIELDS }));
    const toStore: number[] = [];
    const taken: number[] = [];
    claimed.forEach((result, i) => {
      if (result.status === 'created') toStore.push(i);
      else if (result.status === 'duplicate') taken.push(i);
      else results[i] = result;
    });
    if (taken.length > 0) {
      const stored = await this.claimsOf(taken.map((i) => documents[i].event.id));
      for (const i of taken) {
        const claim = stored.get(documents[i].event.id);
        if (!claim) {
          results[i] = { status: 'retryable', httpStatus: 404, reason: 'identity claim not readable yet' };
        } else if (claim.fingerprint !== claims[i].fingerprint) {
          results[i] = {
            status: 'conflict',
            storedIndex: claim.index,
            storedFingerprint: claim.fingerprint,
            fingerprint: claims[i].fingerprint,
          };
        } else if (claim.index === indices[i]) toStore.push(i);
        else results[i] = { status: 'duplicate' };
      }
    }
    toStore.sort((a, b) => a - b);
    const written = await this.store(
      toStore.map((i) => documents[i]),
      toStore.map((i) => indices[i]),
      refresh,
    );
    toStore.forEach((i, k) => (results[i] = written[k]));
    return results as WriteResult[];
  }

  /** The claims stored for these ids (mget is real-time: it sees claims made a moment ago). */
  private async claimsOf(ids: readonly string[]): Promise<Map<string, IdentityClaim>> {
    const response = await this.client.mget<IdentityClaim>({
      index: this.identityIndex,
      ids: [...new Set(ids)],
    });
    const claims = new Map<string, IdentityClaim>();
    for (const doc of response.docs) {
      if ('found' in doc && doc.found && doc._source) claims.set(doc._id, doc._source);
    }
    return claims;
  }

  private async store(
    documents: readonly AuditEventDocument[],
    indices: readonly string[],
    refresh: boolean | 'wait_for',
  ): Promise<WriteResult[]> {
    if (documents.length === 0) return [];
    const operations: (BulkOperationContainer | AuditEventDocument)[] = [];
    documents.forEach((document, i) => {
      operations.push({ create: { _index: indices[i], _id: document.event.id } }, document);
    });
    return itemResults(await this.client.bulk({ operations, refresh, filter_path: ITEM_FIELDS }));
  }
}
