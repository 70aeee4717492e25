import { Counter, Histogram, Registry } from 'prom-client';
import type { IntakeObserver, IntakeSourceName } from '@cairn/intake';

/** Every request counted by source, sender and status; bytes taken and time to durable by source. */
export class IntakeMetrics implements IntakeObserver {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'cairn_intake_requests_total',
    help: 'Webhook requests, by source, sender credential ("-": none matched) and HTTP status.',
    labelNames: ['source', 'sender', 'status'],
    registers: [this.registry],
  });
  private readonly bytes = new Counter({
    name: 'cairn_intake_bytes_total',
    help: 'Bytes written to the raw topics (after decompression), by source.',
    labelNames: ['source'],
    registers: [this.registry],
  });
  private readonly seconds = new Histogram({
    name: 'cairn_intake_request_seconds',
    help: 'Time from a request read to its answer (durable in Kafka for 202), by source.',
    labelNames: ['source'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  onRequest(source: IntakeSourceName, sender: string, status: number, bytes: number, seconds: number): void {
    this.requests.inc({ source, sender, status: String(status) });
    if (bytes > 0) this.bytes.inc({ source }, bytes);
    this.seconds.observe({ source }, seconds);
  }
}
