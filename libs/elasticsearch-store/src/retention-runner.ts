import type { Client } from '@elastic/elasticsearch';
import type { QueryDslQueryContainer } from '@elastic/elasticsearch/lib/api/types';
import { deterministicEventId, SCHEMA_VERSION, type AuditEventDocument } from '@cairn/event-schema';
import { expiredMonths, type LegalHold } from '@cairn/retention';
import { BulkWriter } from './bulk-writer';
import { identityIndexName, indexPattern } from './index-names';
import { WHOLE_ANSWER } from './whole-answers';

export interface RetentionOptions {
  readonly days: number;
  readonly legalHolds: readonly LegalHold[];
  /** Say what would be deleted; delete and record nothing. */
  readonly dryRun: boolean;
  /**
   * Runs before each index is deleted (the integrity chains' signed retention statements); when
   * it fails, that index and the rest are not deleted.
   */
  readonly beforeDelete?: (index: string) => Promise<unknown>;
  readonly now?: Date;
}

export interface RetentionOutcome {
  readonly expired: readonly string[];
  readonly deleted: readonly string[];
  readonly held: readonly { readonly index: string; readonly reasons: readonly string[] }[];
  /** Identity claims removed with the months they pointed to. */
  readonly claimsRemoved: number;
  readonly dryRun: boolean;
}

function holdQuery(hold: LegalHold): QueryDslQueryContainer {
  if (hold.namespace !== undefined) {
    return {
      bool: {
        should: [
          { term: { 'kubernetes.namespace': hold.namespace } },
          { term: { 'orchestrator.namespace': hold.namespace } },
        ],
        minimum_should_match: 1,
      },
    };
  }
  if (hold.actor !== undefined) return { term: { 'user.name': hold.actor } };
  return { ids: { values: [hold.eventId!] } };
}

/**
 * Retention by whole monthly indices (PCI DSS 10.5.1 keeps a year): every month that ended before
 * now minus the retention is deleted, unless it holds an event under a legal hold; the identity
 * claims of deleted months go with them; each real run is recorded as an event of its own
 * (`cairn.retention`), the evidence an auditor asks for.
 */
export class RetentionRunner {
  constructor(
    private readonly client: Client,
    private readonly indexPrefix: string,
  ) {}

  async run(options: RetentionOptions): Promise<RetentionOutcome> {
    const now = options.now ?? new Date();
    const existing = Object.keys(
      await this.client.indices.get({ index: indexPattern(this.indexPrefix), allow_no_indices: true }),
    );
    const expired = expiredMonths(existing, now, options.days);
    const held: { index: string; reasons: string[] }[] = [];
    const deletable: string[] = [];
    for (const index of expired) {
      const reasons: string[] = [];
      for (const hold of options.legalHolds) {
        const { count } = await this.client.count({ index, query: holdQuery(hold) });
        if (count > 0) reasons.push(hold.reason);
      }
      if (reasons.length > 0) held.push({ index, reasons });
      else deletable.push(index);
    }
    if (options.dryRun) return { expired, deleted: deletable, held, claimsRemoved: 0, dryRun: true };
    let claimsRemoved = 0;
    for (const index of deletable) {
      await options.beforeDelete?.(index);
      await this.client.indices.delete({ index }, { ignore: [404] });
      claimsRemoved += await this.removeClaims(index);
    }
    await this.record(
      now,
      options.days,
      deletable,
      held.map((entry) => entry.index),
    );
    return { expired, deleted: deletable, held, claimsRemoved, dryRun: false };
  }

  /** No delete-by-query on a bare core: find the claims a page at a time and bulk-delete them. */
  private async removeClaims(index: string): Promise<number> {
    const identities = identityIndexName(this.indexPrefix);
    let removed = 0;
    for (;;) {
      await this.client.indices.refresh({ index: identities }, { ignore: [404] });
      const found = await this.client.search({
        index: identities,
        size: 5000,
        _source: false,
        query: { term: { index } },
        ignore_unavailable: true,
        ...WHOLE_ANSWER,
      });
      const ids = found.hits.hits.map((hit) => hit._id!);
      if (ids.length === 0) return removed;
      await this.client.bulk({ operations: ids.map((id) => ({ delete: { _index: identities, _id: id } })) });
      removed += ids.length;
    }
  }

  private async record(now: Date, days: number, deleted: string[], held: string[]): Promise<void> {
    const at = now.toISOString();
    const document: AuditEventDocument = {
      '@timestamp': at,
      message: `retention (${days} days) deleted ${deleted.length} monthly indices${deleted.length ? `: ${deleted.join(', ')}` : ''}${held.length ? `; kept for legal holds: ${held.join(', ')}` : ''}`,
      event: {
        id: deterministicEventId('cairn', ['retention', at]),
        kind: 'event',
        category: ['configuration'],
        type: ['deletion'],
        action: 'cairn.retention',
        outcome: 'success',
        ingested: at,
      },
      cairn: {
        source_kind: 'CAIRN',
        product: 'cairn',
        schema_version: SCHEMA_VERSION,
        retention: { deleted, held, days },
      },
    };
    const [result] = await new BulkWriter(this.client, this.indexPrefix, { claimIdentities: false }).write(
      [document],
      'wait_for',
    );
    if (result.status === 'retryable' || result.status === 'rejected') {
      throw new Error(`retention ran, but its record was not stored: ${result.httpStatus} ${result.reason}`);
    }
  }
}
