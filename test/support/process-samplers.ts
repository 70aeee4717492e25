import { readFileSync } from 'node:fs';
import type { RunningApp } from './app-process';

/** Resident set size of a process, from /proc (Linux), in MiB. */
export function rssMib(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Samples the RSS of every process `pids()` names every `everyMs`: the peak per phase over all of
 * them, and each process's own peak (by its index in the list).
 */
export class RssSampler {
  private timer?: NodeJS.Timeout;
  readonly peaks: Record<string, number> = {};
  readonly processPeaks: number[] = [];
  phase = 'start';

  constructor(
    private readonly pids: () => readonly (number | undefined)[],
    everyMs = 200,
  ) {
    this.timer = setInterval(() => {
      this.pids().forEach((pid, index) => {
        const rss = pid === undefined ? undefined : rssMib(pid);
        if (rss === undefined) return;
        this.peaks[this.phase] = Math.max(this.peaks[this.phase] ?? 0, rss);
        this.processPeaks[index] = Math.max(this.processPeaks[index] ?? 0, rss);
      });
    }, everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** Polls one process's Prometheus /metrics: each watched metric's last and highest value (summed over labels). */
export class MetricsWatcher {
  private timer?: NodeJS.Timeout;
  readonly last: Record<string, number> = {};
  readonly peaks: Record<string, number> = {};

  constructor(
    private readonly app: RunningApp,
    private readonly metrics: readonly string[],
    everyMs = 200,
  ) {
    this.timer = setInterval(() => void this.sample(), everyMs);
  }

  async sample(): Promise<void> {
    const text = await fetch(`${this.app.baseUrl}/metrics`)
      .then((response) => response.text())
      .catch(() => undefined);
    if (text === undefined) return;
    const sums: Record<string, number> = {};
    for (const line of text.split('\n')) {
      const match = /^([a-z_]+)(?:\{[^}]*\})? (\S+)$/.exec(line);
      if (match && this.metrics.includes(match[1])) sums[match[1]] = (sums[match[1]] ?? 0) + Number(match[2]);
    }
    for (const [name, value] of Object.entries(sums)) {
      this.last[name] = value;
      this.peaks[name] = Math.max(this.peaks[name] ?? 0, value);
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
