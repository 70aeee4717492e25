import type { Client } from '@elastic/elasticsearch';
import type { QueryDslQueryContainer, SearchHit } from '@elastic/elasticsearch/lib/api/types';
import type { AuditEventDocument } from '@cairn/event-schema';
import { readAlias } from './index-names';
import { WHOLE_ANSWER } from './whole-answers';

export interface RetagOptions {
  /** The version tags must carry once done; events already at it are not read at all. */
  readonly version: string;
  /** The controls the current catalog and scope give an event. */
  readonly controlsFor: (document: AuditEventDocument) => string[];
  readonly pageSize?: number;
  readonly dryRun?: boolean;
  readonly onProgress?: (progress: RetagProgress) => void;
}

export interface RetagProgress {
  /** Events whose tags were made under another version when the run started. */
  readonly stale: number;
  readonly scanned: number;
  /** Their controls changed. */
  readonly changed: number;
  /** Same controls; only the version was brought up to date. */
  readonly versionOnly: number;
  readonly failed: number;
}

const PIT_KEEP_ALIVE = '5m';

/**
 * Re-evaluates stored events after the catalog or the scope changed, with bulk partial updates
 * of `cairn.compliance` only (no scripts, no update-by-query: each document's new tags are
 * computed here by the same engine ingest uses). Reads only events whose version differs, so a
 * run that stops half way is resumed by running it again, and a second run finds nothing.
 */
export class ComplianceRetagger {
  constructor(
    private readonly client: Client,
    private readonly indexPrefix: string,
  ) {}

  async run(options: RetagOptions): Promise<RetagProgress> {
    const query: QueryDslQueryContainer = {
      bool: { must_not: [{ term: { 'cairn.compliance.version': options.version } }] },
    };
    const index = readAlias(this.indexPrefix);
    const { count: stale } = await this.client.count({
      index,
      query,
      ignore_unavailable: true,
      allow_no_indices: true,
    });
    const progress = { stale, scanned: 0, changed: 0, versionOnly: 0, failed: 0 };
    if (stale === 0) return progress;
    let pit = (await this.client.openPointInTime({ index, keep_alive: PIT_KEEP_ALIVE })).id;
    let after: SearchHit['sort'];
    try {
      for (;;) {
        const page = await this.client.search<AuditEventDocument>({
          pit: { id: pit, keep_alive: PIT_KEEP_ALIVE },
          query,
          size: options.pageSize ?? 1000,
          sort: ['_shard_doc'],
          ...WHOLE_ANSWER,
          ...(after ? { search_after: after } : {}),
        });
        pit = page.pit_id ?? pit;
        const hits = page.hits.hits;
        if (hits.length === 0) break;
        after = hits[hits.length - 1].sort;
        await this.retagPage(hits, options, progress);
        options.onProgress?.({ ...progress });
      }
    } finally {
      await this.client.closePointInTime({ id: pit }).catch(() => undefined);
    }
    // The updates become visible at once, so a run started right after this one finds nothing.
    if (!options.dryRun) {
      await this.client.indices.refresh({ index, ignore_unavailable: true, allow_no_indices: true });
    }
    return progress;
  }

  private async retagPage(
    hits: SearchHit<AuditEventDocument>[],
    options: RetagOptions,
    progress: { scanned: number; changed: number; versionOnly: number; failed: number },
  ): Promise<void> {
    const operations: object[] = [];
    for (const hit of hits) {
      const document = hit._source!;
      const controls = options.controlsFor(document);
      const before = document.cairn.compliance?.controls ?? [];
      const same = before.length === controls.length && before.every((ref, i) => ref === controls[i]);
      progress.scanned += 1;
      if (same) progress.versionOnly += 1;
      else progress.changed += 1;
      operations.push(
        { update: { _index: hit._index, _id: hit._id, retry_on_conflict: 3 } },
        { doc: { cairn: { compliance: { controls, version: options.version } } } },
      );
    }
    if (options.dryRun || operations.length === 0) return;
    const response = await this.client.bulk({
      operations,
      filter_path: 'errors,items.*.error,items.*.status',
    });
    if (!response.errors) return;
    const failures = response.items.filter((item) => Object.values(item)[0]?.error);
    progress.failed += failures.length;
    // Failed ones keep their old version, so the next run picks them up again.
    if (failures.length === hits.length) {
      throw new Error(
        `every update of a page failed: ${JSON.stringify(Object.values(failures[0])[0]?.error)}`,
      );
    }
  }
}
