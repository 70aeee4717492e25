/** A dependency the process cannot work without; `check` rejects when it is unreachable. */
export interface ReadinessProbe {
  readonly name: string;
  check(): Promise<void>;
}

export const READINESS = Symbol('READINESS');

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Record<
    string,
    { readonly ok: boolean; readonly error?: string; readonly failingForMs?: number }
  >;
}

/**
 * Runs the probes on each request and remembers since when each one fails: a blip shorter than
 * the threshold (a broker leader moving, a GC pause) does not take the process out of rotation;
 * a dependency away for longer does.
 */
export class Readiness {
  private readonly failingSince = new Map<string, number>();

  constructor(
    private readonly probes: readonly ReadinessProbe[],
    private readonly thresholdMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async report(): Promise<ReadinessReport> {
    const checks: Record<string, { ok: boolean; error?: string; failingForMs?: number }> = {};
    let ready = true;
    await Promise.all(
      this.probes.map(async (probe) => {
        try {
          await probe.check();
          this.failingSince.delete(probe.name);
          checks[probe.name] = { ok: true };
        } catch (error) {
          const since = this.failingSince.get(probe.name) ?? this.now();
          this.failingSince.set(probe.name, since);
          const failingForMs = this.now() - since;
          if (failingForMs >= this.thresholdMs) ready = false;
          checks[probe.name] = {
            ok: false,
            error: error instanceof Error ? error.message : String(error),
            failingForMs,
          };
        }
      }),
    );
    return { ready, checks };
  }
}
