import { sleep } from '../support/fault-run';

export interface ProbeAnswer {
  readonly at: number;
  /** 'OK', the answer's error code, or NO_ANSWER when none came within the timeout. */
  readonly outcome: string;
}

/** Codes the API may answer with while the cluster fails over: the store, or its access record's write, is away. */
export const FAILOVER_CODES = ['SEARCH_UNAVAILABLE', 'AUDIT_UNAVAILABLE'];

/**
 * Asks the API a search every `everyMs` while a fault runs, as an investigator would keep
 * trying: what it answered, and for how long at most it could not answer a search.
 */
export class ApiProbe {
  readonly answers: ProbeAnswer[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    everyMs = 250,
    private readonly timeoutMs = 10_000,
  ) {
    this.loop = (async () => {
      while (this.running) {
        this.answers.push({ at: Date.now(), outcome: await this.ask() });
        await sleep(everyMs);
      }
    })();
  }

  private async ask(): Promise<string> {
    try {
      const response = await fetch(`${this.baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
        body: JSON.stringify({ query: '{ events(first: 1) { totalCount } }' }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      return body.errors?.[0]?.extensions?.code ?? (response.ok ? 'OK' : `HTTP_${response.status}`);
    } catch {
      return 'NO_ANSWER';
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Answers other than a success or a failover refusal: the API failed at its job. */
  get unexpected(): string[] {
    return [...new Set(this.answers.map((a) => a.outcome))].filter(
      (outcome) => outcome !== 'OK' && !FAILOVER_CODES.includes(outcome),
    );
  }

  /** The longest stretch, in seconds, from a first refusal to the next success. */
  get longestRefusalSeconds(): number {
    let longest = 0;
    let since: number | undefined;
    for (const answer of this.answers) {
      if (answer.outcome === 'OK') {
        if (since !== undefined) longest = Math.max(longest, answer.at - since);
        since = undefined;
      } else since ??= answer.at;
    }
    return +(longest / 1000).toFixed(1);
  }

  get counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const answer of this.answers) counts[answer.outcome] = (counts[answer.outcome] ?? 0) + 1;
    return counts;
  }
}
