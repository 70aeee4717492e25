import type { KeyObject } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import type { QueryDslQueryContainer, SearchHit } from '@elastic/elasticsearch/lib/api/types';
import type { AuditEventDocument } from '@cairn/event-schema';
import { readAlias } from '@cairn/elasticsearch-store';
import { ACCESS_ACTIONS } from '@cairn/access-audit';
import {
  ACCESS_CHAIN_PREFIX,
  ChainVerifier,
  FindingKind,
  type IntegrityFinding,
  type SignedCheckpoint,
} from '@cairn/integrity';
import type { CheckpointIndex } from './checkpoint-index';
import type { CheckpointLog } from './checkpoint-log';
import { signedStatementsUpTo } from './signed-statements';

export interface VerifyRequest {
  readonly from?: Date;
  readonly to?: Date;
  readonly onProgress?: (progress: VerifyProgress) => void;
}

export interface VerifyProgress {
  readonly total: number;
  readonly verified: number;
}

export interface ChainSummary {
  readonly chain: string;
  readonly verified: number;
  /** Events after the newest checkpoint: linked, not yet signed. */
  readonly pending: number;
  /** Positions not found that a signed retention statement let go of. */
  readonly removed: number;
  /** Its newest checkpoint closed it (an API process's access chain, at its stop or after its death). */
  readonly closed: boolean;
  readonly checkpoints: number;
  readonly lastSeq: number | null;
  readonly lastCheckpointAt: string | null;
}

export interface IntegrityReport {
  readonly from: string | null;
  readonly to: string | null;
  readonly verifiedAt: string;
  readonly ok: boolean;
  readonly eventsVerified: number;
  readonly chains: ChainSummary[];
  readonly findings: IntegrityFinding[];
  /** More findings than are listed. */
  readonly truncated: boolean;
  /** Where the checkpoints were read from. */
  readonly checkpointSources: string[];
}

export interface IntegrityAuditOptions {
  readonly client: Client;
  readonly indexPrefix: string;
  readonly checkpoints: CheckpointIndex;
  /** Undefined where this process cannot see the log (then only the index is read). */
  readonly log?: CheckpointLog;
  readonly trustedKeys: ReadonlyMap<string, KeyObject>;
  readonly checkpointSeconds: number;
  readonly maxFindings?: number;
  readonly pageSize?: number;
  readonly now?: () => Date;
}

const PIT_KEEP_ALIVE = '2m';
/** A stretch of more than two intervals without a checkpoint means the writer stopped. */
const GAP_INTERVALS = 2;
const MIN_COVER_TOLERANCE_MS = 15 * 60_000;
const CHAINS_AT_ONCE = 3;

/**
 * Verifies the stored trail: every chain's events, read in seq order from a point in time,
 * against the signed checkpoints of the log and the index, and the events that carry no link at
 * all. Findings are exact: which events, which positions, which checkpoint.
 */
export class IntegrityAudit {
  constructor(private readonly options: IntegrityAuditOptions) {}

  async verify(request: VerifyRequest = {}): Promise<IntegrityReport> {
    const { client, indexPrefix } = this.options;
    const now = this.options.now?.() ?? new Date();
    const findings: IntegrityFinding[] = [];
    let truncated = false;
    const report = (finding: IntegrityFinding) => {
      if (findings.length < (this.options.maxFindings ?? 1000)) findings.push(finding);
      else truncated = true;
    };
    // Checkpoints first, then a refresh: whatever a checkpoint read here counts was stored before
    // it was signed, so it is searchable for the reads that follow (the other way round, a
    // checkpoint signed in between would count events the reads cannot see yet).
    const { checkpoints, retention, sources } = await signedStatementsUpTo(
      this.options.checkpoints,
      this.options.log,
      request.to,
      report,
    );
    const index = readAlias(indexPrefix);
    await client.indices.refresh({ index, ignore_unavailable: true, allow_no_indices: true });
    const chains = new Set([...checkpoints.keys(), ...retention.keys(), ...(await this.chainNames())]);
    const plans = [...chains].sort().map((chain) => this.plan(chain, checkpoints.get(chain) ?? [], request));
    const counts = await Promise.all(plans.map((plan) => this.count(plan.query)));
    const total = counts.reduce((a, b) => a + b, 0);
    let verified = 0;
    const intervalMs = this.options.checkpointSeconds * 1000;
    const openEnded = !request.to || request.to.getTime() >= now.getTime();
    // Chains are independent: a few at a time keep Elasticsearch reading while this process hashes.
    // Each keeps its own findings, merged in chain order, so a report reads the same every time.
    const perChain: IntegrityFinding[][] = plans.map(() => []);
    const summaries: ChainSummary[] = new Array<ChainSummary>(plans.length);
    let next = 0;
    const worker = async () => {
      for (let at = next++; at < plans.length; at = next++) {
        const plan = plans[at];
        const verifier = new ChainVerifier({
          chain: plan.chain,
          checkpoints: plan.inWindow,
          anchor: plan.anchor,
          retention: retention.get(plan.chain),
          openEndIsGap: !plan.chain.startsWith(ACCESS_CHAIN_PREFIX),
          trustedKeys: this.options.trustedKeys,
          maxGapMs: GAP_INTERVALS * intervalMs,
          coverToleranceMs: Math.max(MIN_COVER_TOLERANCE_MS, GAP_INTERVALS * intervalMs),
          now: openEnded ? now : undefined,
          report: (finding) => perChain[at].push(finding),
        });
        let lastSeq: number | null = null;
        if (counts[at] > 0) {
          await this.scan(plan.query, [{ 'cairn.integrity.seq': 'asc' }, { _shard_doc: 'asc' }], (hit) => {
            verifier.add({ id: hit._id!, index: hit._index, document: hit._source! });
            lastSeq = hit._source!.cairn.integrity?.seq ?? lastSeq;
            verified += 1;
            if (verified % 1000 === 0) request.onProgress?.({ total, verified });
          });
        }
        verifier.finish();
        summaries[at] = {
          chain: plan.chain,
          verified: verifier.verified,
          pending: verifier.pending,
          removed: verifier.removed,
          closed: (plan.inWindow.at(-1) ?? plan.anchor)?.closed === true,
          checkpoints: plan.inWindow.length,
          lastSeq,
          lastCheckpointAt: plan.inWindow.at(-1)?.at ?? plan.anchor?.at ?? null,
        };
      }
    };
    await Promise.all(Array.from({ length: CHAINS_AT_ONCE }, worker));
    for (const list of perChain) list.forEach(report);
    request.onProgress?.({ total, verified });
    await this.unchained(request, checkpoints, report);
    return {
      from: request.from?.toISOString() ?? null,
      to: request.to?.toISOString() ?? null,
      verifiedAt: now.toISOString(),
      ok: findings.length === 0 && !truncated,
      eventsVerified: verified,
      chains: summaries,
      findings,
      truncated,
      checkpointSources: sources,
    };
  }

  private plan(chain: string, checkpoints: SignedCheckpoint[], request: VerifyRequest) {
    const from = request.from?.getTime() ?? -Infinity;
    const anchor = checkpoints.filter((c) => Date.parse(c.at) < from).at(-1);
    const inWindow = checkpoints.filter((c) => Date.parse(c.at) >= from);
    const filter: QueryDslQueryContainer[] = [{ term: { 'cairn.integrity.chain': chain } }];
    if (anchor) filter.push({ range: { 'cairn.integrity.seq': { gt: anchor.seq } } });
    if (request.to) {
      const last = inWindow.at(-1) ?? anchor;
      filter.push({ range: { 'cairn.integrity.seq': { lte: last?.seq ?? 0 } } });
    }
    return { chain, anchor, inWindow, query: { bool: { filter } } as QueryDslQueryContainer };
  }

  private async chainNames(): Promise<string[]> {
    const response = await this.options.client.search({
      index: readAlias(this.options.indexPrefix),
      size: 0,
      aggs: { chains: { terms: { field: 'cairn.integrity.chain', size: 10_000 } } },
      ignore_unavailable: true,
      allow_no_indices: true,
    });
    const buckets =
      (response.aggregations?.chains as { buckets?: { key: string }[] } | undefined)?.buckets ?? [];
    return buckets.map((bucket) => bucket.key);
  }

  private async count(query: QueryDslQueryContainer): Promise<number> {
    const { count } = await this.options.client.count({
      index: readAlias(this.options.indexPrefix),
      query,
      ignore_unavailable: true,
      allow_no_indices: true,
    });
    return count;
  }

  /**
   * Documents with no link stored since their kind was chained: events since ingest's oldest
   * checkpoint (ingest links everything it stores) and access records since the API's oldest
   * (the API links every record). Older ones predate integrity and are left alone; Cairn's other
   * records (retention runs, verifications) are not chained and not read.
   */
  private async unchained(
    request: VerifyRequest,
    checkpoints: Map<string, SignedCheckpoint[]>,
    report: (finding: IntegrityFinding) => void,
  ): Promise<void> {
    const oldestOf = (access: boolean) =>
      Math.min(
        ...[...checkpoints.entries()]
          .filter(([chain]) => chain.startsWith(ACCESS_CHAIN_PREFIX) === access)
          .map(([, list]) => Date.parse(list[0].at)),
      );
    const ingestedSince = (since: number): QueryDslQueryContainer => ({
      range: {
        'event.ingested': {
          gte: new Date(Math.max(since, request.from?.getTime() ?? -Infinity)).toISOString(),
          ...(request.to && { lte: request.to.toISOString() }),
        },
      },
    });
    const kinds: QueryDslQueryContainer[] = [];
    const events = oldestOf(false);
    if (Number.isFinite(events)) {
      kinds.push({
        bool: { must_not: [{ term: { 'cairn.source_kind': 'CAIRN' } }], filter: [ingestedSince(events)] },
      });
    }
    const access = oldestOf(true);
    if (Number.isFinite(access)) {
      kinds.push({
        bool: {
          filter: [
            { term: { 'cairn.source_kind': 'CAIRN' } },
            { terms: { 'event.action': [...ACCESS_ACTIONS] } },
            ingestedSince(access),
          ],
        },
      });
    }
    if (kinds.length === 0) return;
    const query: QueryDslQueryContainer = {
      bool: {
        must_not: [{ exists: { field: 'cairn.integrity.chain' } }],
        should: kinds,
        minimum_should_match: 1,
      },
    };
    if ((await this.count(query)) === 0) return;
    await this.scan(query, [{ _shard_doc: 'asc' }], (hit) =>
      report({
        kind: FindingKind.INSERTED,
        chain: '',
        events: [{ id: hit._id!, index: hit._index }],
        message:
          hit._source?.cairn.source_kind === 'CAIRN'
            ? `access record ${hit._id} in ${hit._index} has no chain position, though the API links every record it stores`
            : `event ${hit._id} in ${hit._index} has no chain position, though ingest links every event it stores`,
      }),
    );
  }

  private async scan(
    query: QueryDslQueryContainer,
    sort: Record<string, 'asc' | 'desc'>[],
    each: (hit: SearchHit<AuditEventDocument>) => void,
  ): Promise<void> {
    const { client, indexPrefix } = this.options;
    let pit = (await client.openPointInTime({ index: readAlias(indexPrefix), keep_alive: PIT_KEEP_ALIVE }))
      .id;
    const page = (after: SearchHit['sort'] | undefined) =>
      client.search<AuditEventDocument>({
        pit: { id: pit, keep_alive: PIT_KEEP_ALIVE },
        query,
        size: this.options.pageSize ?? 5000,
        sort,
        track_total_hits: false,
        ...(after ? { search_after: after } : {}),
      });
    try {
      let pending = page(undefined);
      for (;;) {
        const current = await pending;
        pit = current.pit_id ?? pit;
        const hits = current.hits.hits;
        if (hits.length === 0) break;
        // The next page is asked for before this one is hashed: Elasticsearch and this process work at once.
        pending = page(hits[hits.length - 1].sort);
        // Left unawaited if `each` throws: its failure must not be an unhandled rejection.
        pending.catch(() => undefined);
        for (const hit of hits) each(hit);
      }
    } finally {
      await client.closePointInTime({ id: pit }).catch(() => undefined);
    }
  }
}
