import type { KeyObject } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import type { QueryDslQueryContainer, SearchHit } from '@elastic/elasticsearch/lib/api/types';
import type { AuditEventDocument } from '@cairn/event-schema';
import { readAlias, WHOLE_ANSWER } from '@cairn/elasticsearch-store';
import {
  ChainVerifier,
  type IntegrityFinding,
  type SignedCheckpoint,
  type SignedRetentionStatement,
} from '@cairn/integrity';

const PIT_KEEP_ALIVE = '2m';

/** One chain's part of a verification: what to read and what to hold it against. Plain data, so a worker thread can take it. */
export interface ChainPlan {
  readonly chain: string;
  /** The newest checkpoint before the window. */
  readonly anchor?: SignedCheckpoint;
  readonly inWindow: readonly SignedCheckpoint[];
  readonly retention?: readonly SignedRetentionStatement[];
  readonly query: QueryDslQueryContainer;
  /** Documents the query matches (0: nothing is read). */
  readonly count: number;
  readonly openEndIsGap: boolean;
}

/** What every chain of one verification is judged by. */
export interface ChainRules {
  readonly indexPrefix: string;
  readonly pageSize: number;
  readonly trustedKeys: ReadonlyMap<string, KeyObject>;
  readonly maxGapMs: number;
  readonly coverToleranceMs: number;
  readonly now?: Date;
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

export interface ChainResult {
  readonly summary: ChainSummary;
  readonly findings: IntegrityFinding[];
}

/** Reads one chain in seq order from a point in time and verifies it; `onRead` gets each event's count as it goes. */
export async function verifyChain(
  client: Client,
  plan: ChainPlan,
  rules: ChainRules,
  onRead: (events: number) => void,
): Promise<ChainResult> {
  const findings: IntegrityFinding[] = [];
  const verifier = new ChainVerifier({
    chain: plan.chain,
    checkpoints: plan.inWindow,
    anchor: plan.anchor,
    retention: plan.retention,
    openEndIsGap: plan.openEndIsGap,
    trustedKeys: rules.trustedKeys,
    maxGapMs: rules.maxGapMs,
    coverToleranceMs: rules.coverToleranceMs,
    now: rules.now,
    report: (finding) => findings.push(finding),
  });
  let lastSeq: number | null = null;
  if (plan.count > 0) {
    // The index is sorted by chain and seq (index-template), so this order reads each chain's
    // documents where they lie together.
    const sort: Record<string, 'asc'>[] = [
      { 'cairn.integrity.chain': 'asc' },
      { 'cairn.integrity.seq': 'asc' },
      { _shard_doc: 'asc' },
    ];
    await scanStore(client, rules.indexPrefix, plan.query, sort, rules.pageSize, (hits) => {
      for (const hit of hits) {
        verifier.add({ id: hit._id!, index: hit._index, document: hit._source! });
        lastSeq = hit._source!.cairn.integrity?.seq ?? lastSeq;
      }
      onRead(hits.length);
    });
  }
  verifier.finish();
  const newest = plan.inWindow.at(-1) ?? plan.anchor;
  return {
    summary: {
      chain: plan.chain,
      verified: verifier.verified,
      pending: verifier.pending,
      removed: verifier.removed,
      closed: newest?.closed === true,
      checkpoints: plan.inWindow.length,
      lastSeq,
      lastCheckpointAt: newest?.at ?? null,
    },
    findings,
  };
}

/** Every document a query matches, page by page from a point in time; the next page is asked for while `each` works. */
export async function scanStore(
  client: Client,
  indexPrefix: string,
  query: QueryDslQueryContainer,
  sort: readonly Record<string, 'asc' | 'desc'>[],
  pageSize: number,
  each: (hits: SearchHit<AuditEventDocument>[]) => void,
): Promise<void> {
  let pit = (await client.openPointInTime({ index: readAlias(indexPrefix), keep_alive: PIT_KEEP_ALIVE })).id;
  const page = (after: SearchHit['sort'] | undefined) =>
    client.search<AuditEventDocument>({
      pit: { id: pit, keep_alive: PIT_KEEP_ALIVE },
      query,
      size: pageSize,
      sort: sort as Record<string, 'asc' | 'desc'>[],
      track_total_hits: false,
      ...WHOLE_ANSWER,
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
      each(hits);
    }
  } finally {
    await client.closePointInTime({ id: pit }).catch(() => undefined);
  }
}
