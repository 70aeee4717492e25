/** A dependency the process cannot work without; `check` rejects when it is unreachable. */
export interface ReadinessProbe {
  readonly name: string;
  check(): Promise<void>;
}

export const READINESS_PROBES = Symbol('READINESS_PROBES');

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Record<string, { readonly ok: boolean; readonly error?: string }>;
}

export async function runProbes(probes: readonly ReadinessProbe[]): Promise<ReadinessReport> {
  const checks: Record<string, { ok: boolean; error?: string }> = {};
  await Promise.all(
    probes.map(async (probe) => {
      try {
        await probe.check();
        checks[probe.name] = { ok: true };
      } catch (error) {
        checks[probe.name] = { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
  return { ready: Object.values(checks).every((check) => check.ok), checks };
}
