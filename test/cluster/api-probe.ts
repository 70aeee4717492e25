import { sleep } from '../support/fault-run';

export interface ProbeAnswer {
  readonly at: number;
  /** 'OK', the answer's error code, or NO_ANSWER when none came within the timeout. */
  readonly outcome: string;
  /** How long the answer took (the timeout for NO_ANSWER). */
  readonly ms: number;
}

/**
 * Codes the API may answer with while the cluster fails over: the store, or its access record's
 * write, is away, or a search did not finish within the API's own limit while a node restarted.
 */
export const FAILOVER_CODES = ['SEARCH_UNAVAILABLE', 'AUDIT_UNAVAILABLE', 'QUERY_TIMEOUT'];

/**
 * Longer than the longest the API itself may take to answer: its search (10 s at most,
 * CAIRN_API_QUERY_TIMEOUT_MS) runs beside the request's access record, whose bulk is bounded only
 * by the client's request timeout (ELASTICSEARCH_REQUEST_TIMEOUT_MS, 30 s) and may queue behind
 * the bulk before it (group commit). On a saturated 2-core machine a record's bulk has taken over
 * 20 s with no fault at all (a probe bound of 20 s once called that answer missing). A probe that
 * gave up sooner would call an API that answers, slowly but as configured, silent; NO_ANSWER is
 * an API that hung. Slow answers show in the report's slowest answer.
 */
const PROBE_TIMEOUT_MS = 2 * 30_000 + 5_000;

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
    private readonly timeoutMs = PROBE_TIMEOUT_MS,
  ) {
    this.loop = (async () => {
      while (this.running) {
        const at = Date.now();
        const outcome = await this.ask();
        this.answers.push({ at, outcome, ms: Date.now() - at });
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

  /**
   * Each stretch without a success, in seconds from `origin` (the kill): when its first refused
   * request was sent, how long until the next successful one was, how many refusals it held and
   * the slowest of them. A stretch is mostly the refused requests' own waiting (a search or an
   * access record held until Elasticsearch gives up), so the report says which it was.
   */
  refusalWindows(
    origin: number,
  ): { from: number; seconds: number; refusals: number; slowestSeconds: number }[] {
    const windows: { from: number; seconds: number; refusals: number; slowestSeconds: number }[] = [];
    let open: { at: number; refusals: number; slowest: number } | undefined;
    for (const answer of this.answers) {
      if (answer.outcome !== 'OK') {
        open ??= { at: answer.at, refusals: 0, slowest: 0 };
        open.refusals += 1;
        open.slowest = Math.max(open.slowest, answer.ms);
        continue;
      }
      if (open)
        windows.push({
          from: +((open.at - origin) / 1000).toFixed(1),
          seconds: +((answer.at - open.at) / 1000).toFixed(1),
          refusals: open.refusals,
          slowestSeconds: +(open.slowest / 1000).toFixed(1),
        });
      open = undefined;
    }
    return windows;
  }

  /** The slowest answer, in seconds (a refusal included). */
  get slowestAnswerSeconds(): number {
    return +(Math.max(0, ...this.answers.map((answer) => answer.ms)) / 1000).toFixed(1);
  }

  get counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const answer of this.answers) counts[answer.outcome] = (counts[answer.outcome] ?? 0) + 1;
    return counts;
  }
}
