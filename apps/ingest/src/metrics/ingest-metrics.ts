import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ChainOperation, PipelineObserver } from '@cairn/pipeline';

/**
 * What ingest counts, for Prometheus: every message is received once and ends stored, duplicate
 * or dead-lettered (by code), so the counters add up (Vector's component spec asks the same).
 */
export class IngestMetrics implements PipelineObserver {
  readonly registry = new Registry();
  private readonly received = new Counter({
    name: 'cairn_ingest_messages_received_total',
    help: 'Raw messages taken from Kafka.',
    labelNames: ['topic'],
    registers: [this.registry],
  });
  private readonly stored = new Counter({
    name: 'cairn_ingest_documents_stored_total',
    help: 'Documents Elasticsearch created.',
    registers: [this.registry],
  });
  private readonly duplicates = new Counter({
    name: 'cairn_ingest_documents_duplicate_total',
    help: 'Documents already stored (409): replays after a restart or rebalance.',
    registers: [this.registry],
  });
  private readonly deadLetters = new Counter({
    name: 'cairn_ingest_dead_letters_total',
    help: 'Messages sent to the dead-letter topic, by error code.',
    labelNames: ['code'],
    registers: [this.registry],
  });
  private readonly feedRecords = new Counter({
    name: 'cairn_ingest_feed_records_total',
    help: 'Stored events written to the SIEM feed topics, by format (replays included).',
    labelNames: ['format'],
    registers: [this.registry],
  });
  private readonly checkpoints = new Counter({
    name: 'cairn_integrity_checkpoints_total',
    help: 'Signed integrity checkpoints, by chain and outcome (written, failed).',
    labelNames: ['chain', 'outcome'],
    registers: [this.registry],
  });
  private readonly verifications = new Counter({
    name: 'cairn_integrity_verifications_total',
    help: 'Scheduled verifications of the hash chains, by outcome (success, failure: findings, error: could not run).',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly findings = new Gauge({
    name: 'cairn_integrity_findings',
    help: 'Findings of the last scheduled verification (alert when above 0).',
    registers: [this.registry],
  });
  private readonly lastVerification = new Gauge({
    name: 'cairn_integrity_last_verification_timestamp_seconds',
    help: 'When the last scheduled verification finished (Unix time).',
    registers: [this.registry],
  });
  private readonly retries = new Counter({
    name: 'cairn_ingest_bulk_retries_total',
    help: 'Documents written again after a 429, 5xx or connection failure.',
    registers: [this.registry],
  });
  private readonly chainRetries = new Counter({
    name: 'cairn_ingest_chain_retries_total',
    help: 'Attempts again at a chain operation Elasticsearch refused or did not answer (head: reading a chain head, stored_copies, relink).',
    labelNames: ['operation'],
    registers: [this.registry],
  });
  private readonly bulkSeconds = new Histogram({
    name: 'cairn_ingest_bulk_duration_seconds',
    help: 'Duration of one bulk request.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly batchSize = new Histogram({
    name: 'cairn_ingest_batch_messages',
    help: 'Messages per Kafka batch.',
    buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000],
    registers: [this.registry],
  });
  private readonly lag = new Gauge({
    name: 'cairn_ingest_consumer_lag',
    help: 'Messages behind the partition end, as of the last batch.',
    labelNames: ['topic', 'partition'],
    registers: [this.registry],
  });

  private readonly paused = new Gauge({
    name: 'cairn_ingest_paused_partitions',
    help: 'Partitions paused because Elasticsearch cannot take their batch yet (backpressure).',
    registers: [this.registry],
  });
  private readonly inFlightMessages = new Gauge({
    name: 'cairn_ingest_in_flight_messages',
    help: 'Messages taken from Kafka whose fate is not final yet.',
    registers: [this.registry],
  });
  private readonly inFlightBytes = new Gauge({
    name: 'cairn_ingest_in_flight_bytes',
    help: 'Raw bytes of the messages in flight.',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'cairn_ingest_' });
  }

  onVerification(findings: number | undefined): void {
    if (findings === undefined) {
      this.verifications.inc({ outcome: 'error' });
      return;
    }
    this.verifications.inc({ outcome: findings === 0 ? 'success' : 'failure' });
    this.findings.set(findings);
    this.lastVerification.set(Date.now() / 1000);
  }

  onCheckpoint(chain: string, outcome: 'written' | 'failed'): void {
    this.checkpoints.inc({ chain, outcome });
  }

  onBatch(topic: string, messages: number): void {
    this.received.inc({ topic }, messages);
    this.batchSize.observe(messages);
  }
  onWrite(seconds: number): void {
    this.bulkSeconds.observe(seconds);
  }
  onStored(count: number): void {
    this.stored.inc(count);
  }
  onDuplicate(count: number): void {
    this.duplicates.inc(count);
  }
  onRetry(count: number): void {
    this.retries.inc(count);
  }
  onChainRetry(operation: ChainOperation): void {
    this.chainRetries.inc({ operation });
  }
  onDeadLetter(code: string): void {
    this.deadLetters.inc({ code });
  }
  onFeed(format: string, count: number): void {
    this.feedRecords.inc({ format }, count);
  }
  onPause(delta: 1 | -1): void {
    this.paused.inc(delta);
  }
  /** A chunk of `messages` totalling `bytes` entered (positive) or left (negative) the pipeline. */
  onInFlight(messages: number, bytes: number): void {
    this.inFlightMessages.inc(messages);
    this.inFlightBytes.inc(bytes);
  }
  setLag(topic: string, partition: number, lag: number): void {
    this.lag.set({ topic, partition: String(partition) }, lag);
  }
}
