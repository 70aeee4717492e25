import type { Admin } from 'kafkajs';

/**
 * A push feed's progress lives in Kafka, on its consumer group's committed offsets: each commit
 * carries, as offset metadata, when that partition last reached its receiver and the last error
 * there. Whoever can read the group (the API's feedStatus, the feed process's metrics) sees the same
 * thing, across restarts and replicas, and a feed process that is down still shows where it stopped.
 */
export interface PartitionProgress {
  readonly deliveredAt?: Date;
  readonly error?: DeliveryError;
}

export interface DeliveryError {
  readonly at: Date;
  readonly message: string;
}

/** Kafka's default offset.metadata.max.bytes is 4096; an error message is cut well below it. */
const MAX_MESSAGE = 300;

export function encodeProgress(progress: PartitionProgress): string {
  const error = progress.error;
  return JSON.stringify({
    v: 1,
    ...(progress.deliveredAt && { d: progress.deliveredAt.toISOString() }),
    ...(error && { e: { at: error.at.toISOString(), m: error.message.slice(0, MAX_MESSAGE) } }),
  });
}

const dateOf = (value: unknown): Date | undefined => {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
};

/** Metadata another tool committed (or none) is read as no progress, never as an error. */
export function decodeProgress(metadata: string | null | undefined): PartitionProgress {
  if (!metadata) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(metadata);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const { v, d, e } = parsed as { v?: unknown; d?: unknown; e?: { at?: unknown; m?: unknown } };
  if (v !== 1) return {};
  const deliveredAt = dateOf(d);
  const errorAt = dateOf(e?.at);
  return {
    ...(deliveredAt && { deliveredAt }),
    ...(errorAt && typeof e?.m === 'string' && { error: { at: errorAt, message: e.m } }),
  };
}

export interface PartitionStatus {
  readonly partition: number;
  /** The next offset the feed will deliver; null before its first commit (it starts at the oldest). */
  readonly position: string | null;
  readonly end: string;
  /** Feed records not yet delivered. */
  readonly lag: number;
  /** Records deleted by the topic's retention before this feed delivered them. */
  readonly missedByRetention: number;
}

/** Keys spelled as their values: GraphQL names an enum's values by its keys. */
export enum FeedState {
  /** Nothing waiting. */
  CURRENT = 'CURRENT',
  /** Records waiting, and the receiver took some recently. */
  DELIVERING = 'DELIVERING',
  /** Records waiting, and nothing committed yet: the feed process has not started on them. */
  NEVER_DELIVERED = 'NEVER_DELIVERED',
  /** Records waiting and no delivery for longer than the stall threshold: the process is down or stuck. */
  STALLED = 'STALLED',
  /** The last attempt failed (the receiver is down or refusing); the backlog waits in Kafka. */
  FAILING = 'FAILING',
  /** Records expired from the feed topic before delivery: they must be re-sent from the export. */
  BEHIND_RETENTION = 'BEHIND_RETENTION',
}

export interface FeedProgress {
  readonly group: string;
  readonly topic: string;
  readonly partitions: readonly PartitionStatus[];
  readonly lag: number;
  readonly missedByRetention: number;
  readonly lastDeliveryAt?: Date;
  readonly lastError?: DeliveryError;
  readonly state: FeedState;
}

export type ProgressAdmin = Pick<Admin, 'fetchOffsets' | 'fetchTopicOffsets'>;

const later = <T extends { getTime(): number }>(a: T | undefined, b: T | undefined) =>
  a === undefined || (b !== undefined && b.getTime() > a.getTime()) ? b : a;

export function feedStateOf(
  progress: Omit<FeedProgress, 'state'>,
  now: Date,
  stalledAfterMs: number,
): FeedState {
  if (progress.missedByRetention > 0) return FeedState.BEHIND_RETENTION;
  const { lastDeliveryAt, lastError } = progress;
  if (lastError && (!lastDeliveryAt || lastError.at.getTime() >= lastDeliveryAt.getTime()))
    return FeedState.FAILING;
  if (progress.lag === 0) return FeedState.CURRENT;
  if (progress.partitions.every((partition) => partition.position === null) && !lastDeliveryAt)
    return FeedState.NEVER_DELIVERED;
  if (!lastDeliveryAt || now.getTime() - lastDeliveryAt.getTime() > stalledAfterMs) return FeedState.STALLED;
  return FeedState.DELIVERING;
}

/** One read of the group's commits and the topic's ends; Kafka's errors are the caller's to report. */
export async function readFeedProgress(
  admin: ProgressAdmin,
  group: string,
  topic: string,
  options: { now?: Date; stalledAfterMs: number },
): Promise<FeedProgress> {
  const [ends, [committed]] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId: group, topics: [topic] }),
  ]);
  const commits = new Map(committed?.partitions.map((entry) => [entry.partition, entry]) ?? []);
  let lastDeliveryAt: Date | undefined;
  let lastError: DeliveryError | undefined;
  const partitions = ends
    .map((end): PartitionStatus => {
      const commit = commits.get(end.partition);
      const position = commit && BigInt(commit.offset) >= 0n ? commit.offset : null;
      const low = BigInt(end.low);
      const high = BigInt(end.high);
      const next = position === null ? low : BigInt(position);
      const progress = decodeProgress(commit?.metadata);
      lastDeliveryAt = later(lastDeliveryAt, progress.deliveredAt);
      if (progress.error && (!lastError || progress.error.at > lastError.at)) lastError = progress.error;
      return {
        partition: end.partition,
        position,
        end: end.high,
        lag: Number(high > next ? high - (next > low ? next : low) : 0n),
        missedByRetention: Number(next < low ? low - next : 0n),
      };
    })
    .sort((a, b) => a.partition - b.partition);
  const progress = {
    group,
    topic,
    partitions,
    lag: partitions.reduce((sum, partition) => sum + partition.lag, 0),
    missedByRetention: partitions.reduce((sum, partition) => sum + partition.missedByRetention, 0),
    ...(lastDeliveryAt && { lastDeliveryAt }),
    ...(lastError && { lastError }),
  };
  return { ...progress, state: feedStateOf(progress, options.now ?? new Date(), options.stalledAfterMs) };
}
