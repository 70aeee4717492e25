import type { AuditEventDocument } from '@cairn/event-schema';
import { encodeHec } from '@cairn/siem-formats';
import type { Delivery } from './feed-pusher';
import type { HecTarget } from './push-config';

type Fetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{
  status: number;
  text(): Promise<string>;
}>;

export class HecRefusedError extends Error {
  constructor(
    readonly status: number,
    text: string,
  ) {
    super(`HEC answered ${status}: ${text.slice(0, 300)}`);
    this.name = 'HecRefusedError';
  }
}

/**
 * Splunk HTTP Event Collector: a batch is the events' objects concatenated, POSTed to
 * /services/collector/event with `Authorization: Splunk <token>`. It counts as taken on HEC's
 * success answer, or with indexer acknowledgement (`ack: true`) once /services/collector/ack says
 * the batch's ackId is indexed. Any other answer fails the batch, which the pusher retries.
 */
export class HecDelivery implements Delivery {
  private readonly channel = globalThis.crypto.randomUUID();

  constructor(
    private readonly target: HecTarget,
    private readonly token: string,
    private readonly fetch: Fetch,
    private readonly options: {
      ackPollMs?: number;
      ackTimeoutMs?: number;
      sleep?: (ms: number) => Promise<void>;
    } = {},
  ) {}

  async deliver(documents: readonly AuditEventDocument[]): Promise<void> {
    if (documents.length === 0) return;
    const body = documents.map((document) => encodeHec(document, { index: this.target.index })).join('');
    const answer = await this.post('/services/collector/event', body);
    if (!this.target.ack) return;
    const ackId = (answer as { ackId?: unknown }).ackId;
    if (typeof ackId !== 'number')
      throw new HecRefusedError(200, 'no ackId: is indexer acknowledgement enabled for the token?');
    await this.awaitAck(ackId);
  }

  close(): void {}

  private headers(): Record<string, string> {
    return {
      authorization: `Splunk ${this.token}`,
      'content-type': 'application/json',
      ...(this.target.ack && { 'x-splunk-request-channel': this.channel }),
    };
  }

  private async post(path: string, body: string): Promise<Record<string, unknown>> {
    const response = await this.fetch(`${this.target.url}${path}`, {
      method: 'POST',
      headers: this.headers(),
      body,
    });
    const text = await response.text();
    if (response.status !== 200) throw new HecRefusedError(response.status, text);
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new HecRefusedError(response.status, `not JSON: ${text}`);
    }
  }

  private async awaitAck(ackId: number): Promise<void> {
    const sleep =
      this.options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const deadline = Date.now() + (this.options.ackTimeoutMs ?? 60_000);
    while (Date.now() < deadline) {
      const answer = await this.post('/services/collector/ack', JSON.stringify({ acks: [ackId] }));
      if ((answer.acks as Record<string, unknown> | undefined)?.[String(ackId)] === true) return;
      await sleep(this.options.ackPollMs ?? 1_000);
    }
    throw new HecRefusedError(200, `batch ${ackId} not acknowledged as indexed in time`);
  }
}
