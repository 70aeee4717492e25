/**
 * Open points in time per caller. Each one holds search contexts on every shard it covers, and
 * a caller who starts pagings without finishing them would otherwise hold them for the keep-alive,
 * however many. Over the cap the caller's least recently used one is closed (its cursor then says
 * it expired) rather than refusing the new query: the paging a person abandoned is the usual
 * oldest, and the query just asked for is the one they are looking at.
 */
export class PointInTimeBudget {
  private readonly open = new Map<string, Map<string, number>>();

  constructor(
    readonly maxPerCaller: number,
    private readonly keepAliveMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a new point in time; returns the ones to close to stay within the cap. */
  opened(caller: string, id: string): string[] {
    const mine = this.forget(caller);
    mine.set(id, this.now());
    const excess: string[] = [];
    for (const oldest of mine.keys()) {
      if (mine.size - excess.length <= this.maxPerCaller) break;
      excess.push(oldest);
    }
    for (const id of excess) mine.delete(id);
    return excess;
  }

  /** A page read it (the keep-alive restarts); Elasticsearch may hand back a new id. */
  used(caller: string, id: string, next: string = id): void {
    const mine = this.forget(caller);
    mine.delete(id);
    mine.set(next, this.now());
  }

  closed(caller: string, id: string): void {
    const mine = this.forget(caller);
    mine.delete(id);
    if (mine.size === 0) this.open.delete(caller);
  }

  count(caller: string): number {
    const size = this.forget(caller).size;
    if (size === 0) this.open.delete(caller);
    return size;
  }

  /** Drops what expired by itself; Map order is use order, oldest first. */
  private forget(caller: string): Map<string, number> {
    const mine = this.open.get(caller) ?? new Map<string, number>();
    const cutoff = this.now() - this.keepAliveMs;
    for (const [id, at] of mine) if (at < cutoff) mine.delete(id);
    this.open.set(caller, mine);
    return mine;
  }
}
