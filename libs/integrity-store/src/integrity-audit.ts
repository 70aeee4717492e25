import type { KeyObject } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import type { QueryDslQueryContainer } from '@elastic/elasticsearch/lib/api/types';
import type { ElasticsearchConfig } from '@cairn/config';
import { readAlias, WHOLE_ANSWER } from '@cairn/elasticsearch-store';
import { ACCESS_ACTIONS } from '@cairn/access-audit';
import {
  ACCESS_CHAIN_PREFIX,
  FindingKind,
  type IntegrityFinding,
  type SignedCheckpoint,
  type SignedRetentionStatement,
} from '@cairn/integrity';
import {
  scanStore,
  verifyChain,
  type ChainPlan,
  type ChainResult,
  type ChainRules,
  type ChainSummary,
} from './chain-scan';
import { ChainWorkerPool, chainWorkerScript } from './chain-workers';
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

export type { ChainSummary };

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
  /**
   * Verify chains on this many worker threads, each with a client of these settings (0, or no
   * built worker script: on the calling thread).
   */
  readonly threads?: {
    readonly count: number;
    readonly elasticsearch: ElasticsearchConfig;
    readonly script?: string;
    /** Each thread's young generation, in MB (default 64; 0: V8's own). */
    readonly youngGenerationMb?: number;
  };
}

/** A stretch of more than two intervals without a checkpoint means the writer stopped. */
const GAP_INTERVALS = 2;
const MIN_COVER_TOLERANCE_MS = 15 * 60_000;
const CHAINS_AT_ONCE = 3;
/**
 * A verification thread's young generation: each page it parses is garbage a moment later, and
 * with V8's small default most of its time went to scavenges (bench:verify, 3 threads: best
 * ratio 0.76 with the default, 0.85 with 64 MB).
 */
const YOUNG_GENERATION_MB = 64;

/**
 * Verifies the stored trail: every chain's events, read in seq order from a point in time,
 * against the signed checkpoints of the log and the index, and the events that carry no link at
 * all. Findings are exact: which events, which positions, which checkpoint.
 */
export class IntegrityAudit {
  private readonly pool?: ChainWorkerPool;

  constructor(private readonly options: IntegrityAuditOptions) {
    const threads = options.threads;
    const script = threads && threads.count > 0 ? (threads.script ?? chainWorkerScript()) : undefined;
    if (threads && script) {
      this.pool = new ChainWorkerPool(
        script,
        { size: threads.count, youngGenerationMb: threads.youngGenerationMb ?? YOUNG_GENERATION_MB },
        { elasticsearch: threads.elasticsearch },
      );
    }
  }

  /** Ends the verification threads (idle ones never hold the process open, so this is for a tidy stop). */
  close(): Promise<void> {
    return this.pool?.close() ?? Promise.resolve();
  }

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
    const plans = await Promise.all(
      [...chains].sort().map((chain) => this.plan(chain, checkpoints.get(chain) ?? [], retention, request)),
    );
    const total = plans.reduce((sum, plan) => sum + plan.count, 0);
    let verified = 0;
    const onRead = (events: number) => {
      const before = verified;
      verified += events;
      if (Math.floor(verified / 1000) > Math.floor(before / 1000)) request.onProgress?.({ total, verified });
    };
    const intervalMs = this.options.checkpointSeconds * 1000;
    const openEnded = !request.to || request.to.getTime() >= now.getTime();
    const rules: ChainRules = {
      indexPrefix,
      pageSize: this.options.pageSize ?? 5000,
      trustedKeys: this.options.trustedKeys,
      maxGapMs: GAP_INTERVALS * intervalMs,
      coverToleranceMs: Math.max(MIN_COVER_TOLERANCE_MS, GAP_INTERVALS * intervalMs),
      now: openEnded ? now : undefined,
    };
    const results = await this.verifyChains(plans, rules, onRead);
    // Each chain keeps its own findings, merged in chain order, so a report reads the same every time.
    const summaries = results.map((result) => result.summary);
    for (const result of results) result.findings.forEach(report);
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

  private async plan(
    chain: string,
    checkpoints: SignedCheckpoint[],
    retention: Map<string, SignedRetentionStatement[]>,
    request: VerifyRequest,
  ): Promise<ChainPlan> {
    const from = request.from?.getTime() ?? -Infinity;
    const anchor = checkpoints.filter((c) => Date.parse(c.at) < from).at(-1);
    const inWindow = checkpoints.filter((c) => Date.parse(c.at) >= from);
    const filter: QueryDslQueryContainer[] = [{ term: { 'cairn.integrity.chain': chain } }];
    if (anchor) filter.push({ range: { 'cairn.integrity.seq': { gt: anchor.seq } } });
    if (request.to) {
      const last = inWindow.at(-1) ?? anchor;
      filter.push({ range: { 'cairn.integrity.seq': { lte: last?.seq ?? 0 } } });
    }
    const query: QueryDslQueryContainer = { bool: { filter } };
    return {
      chain,
      anchor,
      inWindow,
      retention: retention.get(chain),
      query,
      count: await this.count(query),
      openEndIsGap: !chain.startsWith(ACCESS_CHAIN_PREFIX),
    };
  }

  /** On worker threads when configured and built; else a few chains at a time here, so Elasticsearch reads while this thread hashes. */
  private async verifyChains(
    plans: readonly ChainPlan[],
    rules: ChainRules,
    onRead: (events: number) => void,
  ): Promise<ChainResult[]> {
    if (this.pool && plans.some((plan) => plan.count > 0)) return this.pool.verify(plans, rules, onRead);
    const results = new Array<ChainResult>(plans.length);
    let next = 0;
    const worker = async () => {
      for (let at = next++; at < plans.length; at = next++) {
        results[at] = await verifyChain(this.options.client, plans[at], rules, onRead);
      }
    };
    await Promise.all(Array.from({ length: CHAINS_AT_ONCE }, worker));
    return results;
  }

  private async chainNames(): Promise<string[]> {
    const response = await this.options.client.search({
      index: readAlias(this.options.indexPrefix),
      size: 0,
      aggs: { chains: { terms: { field: 'cairn.integrity.chain', size: 10_000 } } },
      ignore_unavailable: true,
      ...WHOLE_ANSWER,
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
    const { client, indexPrefix } = this.options;
    await scanStore(client, indexPrefix, query, [{ _shard_doc: 'asc' }], 5000, (hits) =>
      hits.forEach((hit) =>
        report({
          kind: FindingKind.INSERTED,
          chain: '',
          events: [{ id: hit._id!, index: hit._index }],
          message:
            hit._source?.cairn.source_kind === 'CAIRN'
              ? `access record ${hit._id} in ${hit._index} has no chain position, though the API links every record it stores`
              : `event ${hit._id} in ${hit._index} has no chain position, though ingest links every event it stores`,
        }),
      ),
    );
  }
}
