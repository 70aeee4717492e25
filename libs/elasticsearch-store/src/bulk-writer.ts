import type { Client } from '@elastic/elasticsearch';
import type { BulkOperationContainer, BulkResponse } from '@elastic/elasticsearch/lib/api/types';
import { contentFingerprint, type AuditEventDocument, type FingerprintCache } from '@cairn/event-schema';
import { identityIndexName, monthlyIndexName } from './index-names';
import { foundDocuments } from './whole-answers';

/** The fate of one document in a bulk request. */
export type WriteResult =
  /** `index`: where the document now is. */
  | { readonly status: 'created'; readonly index?: string }
  /** 409, or the same event already stored under another month: replays land here. */
  | { readonly status: 'duplicate'; readonly index?: string }
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
  /** Fingerprints an earlier step already computed (ingest's integrity chain), reused here. */
  readonly fingerprints?: FingerprintCache;
  /**
   * How long Elasticsearch may hold an item for a shard without a primary (a node just died)
   * before refusing it as unavailable; its default is a minute. A refused item was not written.
   */
  readonly shardWaitMs?: number;
}

/**
 * Writes documents with `create` and their deterministic id into the monthly index of their own
 * timestamp. A 200 from _bulk says nothing about the items: each item's status is read.
 *
 * `create` alone is unique per index only, and events choose their month. So each id is also
 * claimed (`create`) in one identity index holding its month and content fingerprint, in the same
 * bulk request as the event (one round trip on the common path, where every claim is new). A
 * claim already taken decides: same content in the same month is a duplicate (or stored now, if a
 * crash came between claim and event); same content in another month is a duplicate (a replay
 * with a shifted timestamp); other content is a conflict for the dead-letter topic, never a silent
 * drop. A copy written outside the claimed month is deleted before the answer is given, so an id
 * is never left twice in the store (a crash in between leaves the message uncommitted, and its
 * replay deletes the copy).
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
    const operations: (BulkOperationContainer | AuditEventDocument | IdentityClaim)[] = [];
    const cache = this.options.fingerprints;
    const fingerprintOf = cache ? (document: AuditEventDocument) => cache.of(document) : contentFingerprint;
    const fingerprints = this.options.claimIdentities ? documents.map(fingerprintOf) : [];
    documents.forEach((document, i) => {
      operations.push({ create: { _index: indices[i], _id: document.event.id } }, document);
    });
    if (this.options.claimIdentities) {
      documents.forEach((document, i) => {
        const claim: IdentityClaim = { index: indices[i], fingerprint: fingerprints[i] };
        operations.push({ create: { _index: this.identityIndex, _id: document.event.id } }, claim);
      });
    }
    const { shardWaitMs } = this.options;
    const timeout = shardWaitMs === undefined ? undefined : `${shardWaitMs}ms`;
    const items = itemResults(
      await this.client.bulk({ operations, refresh, timeout, filter_path: ITEM_FIELDS }),
    );
    const stored = items
      .slice(0, documents.length)
      .map((result, i) =>
        result.status === 'created' || result.status === 'duplicate'
          ? { ...result, index: indices[i] }
          : result,
      );
    if (!this.options.claimIdentities) return stored;
    const claimed = items.slice(documents.length);
    const taken = claimed.flatMap((claim, i) => (claim.status === 'duplicate' ? [i] : []));
    const results = stored.map((result, i): WriteResult => {
      const claim = claimed[i];
      if (claim.status === 'created') return result;
      // No claim could be made (the identity index refused or was busy): try again, or give up.
      if (claim.status === 'retryable' || claim.status === 'rejected') return claim;
      return result; // decided below, from the claim already there
    });
    if (taken.length === 0) return results;
    return this.settleTaken(documents, indices, fingerprints, stored, taken, results, refresh);
  }

  /** For ids claimed before: compare with the claim, and delete copies outside the claimed month. */
  private async settleTaken(
    documents: readonly AuditEventDocument[],
    indices: readonly string[],
    fingerprints: readonly string[],
    stored: readonly WriteResult[],
    taken: readonly number[],
    results: WriteResult[],
    refresh: boolean | 'wait_for',
  ): Promise<WriteResult[]> {
    const claims = await this.claimsOf(taken.map((i) => documents[i].event.id));
    const strays: number[] = [];
    for (const i of taken) {
      const claim = claims.get(documents[i].event.id);
      const written = stored[i].status === 'created';
      if (!claim) {
        results[i] = { status: 'retryable', httpStatus: 404, reason: 'identity claim not readable yet' };
        if (written) strays.push(i);
      } else if (claim.fingerprint !== fingerprints[i]) {
        results[i] = {
          status: 'conflict',
          storedIndex: claim.index,
          storedFingerprint: claim.fingerprint,
          fingerprint: fingerprints[i],
        };
        // Whatever this request put in place of the claimed event, or beside it, goes.
        if (written || claim.index !== indices[i]) strays.push(i);
      } else if (claim.index !== indices[i]) {
        results[i] = { status: 'duplicate', index: claim.index };
        strays.push(i);
      }
      // Same content, same month: the event's own result stands (created after a crash, or 409).
    }
    if (strays.length > 0) await this.deleteStrays(strays, documents, indices, results, refresh);
    return results;
  }

  /** Deletes copies of claimed ids from months they do not belong to; a failed delete is retried. */
  private async deleteStrays(
    strays: readonly number[],
    documents: readonly AuditEventDocument[],
    indices: readonly string[],
    results: WriteResult[],
    refresh: boolean | 'wait_for',
  ): Promise<void> {
    const response = await this.client.bulk({
      operations: strays.map((i) => ({ delete: { _index: indices[i], _id: documents[i].event.id } })),
      refresh,
      filter_path: ITEM_FIELDS,
    });
    response.items.forEach((item, k) => {
      const status = item.delete?.status ?? 0;
      if (status !== 200 && status !== 404) {
        results[strays[k]] = {
          status: 'retryable',
          httpStatus: status,
          reason: 'copy outside its month not deleted yet',
        };
      }
    });
  }

  /** The claims stored for these ids (mget is real-time: it sees claims made a moment ago). */
  private async claimsOf(ids: readonly string[]): Promise<Map<string, IdentityClaim>> {
    const response = await this.client.mget<IdentityClaim>({
      index: this.identityIndex,
      ids: [...new Set(ids)],
    });
    const claims = new Map<string, IdentityClaim>();
    for (const doc of foundDocuments<IdentityClaim>(response.docs, 'reading identity claims'))
      claims.set(doc._id, doc._source!);
    return claims;
  }
}
