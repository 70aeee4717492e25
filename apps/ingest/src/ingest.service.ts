import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { Client } from '@elastic/elasticsearch';
import type { IngestConfig } from './config/ingest-config';
import {
  BulkWriter,
  createElasticsearchClient,
  elasticsearchRefusalOf,
  installIndexTemplate,
  RetentionRunner,
} from '@cairn/elasticsearch-store';
import { DeadLetterProducer, ensureTopics, kafkaRefusalAtConnect, kafkaRefusalOf } from '@cairn/kafka';
import { feedTopic, KafkaFeedSink } from '@cairn/feed';
import type { Logger } from '@cairn/logging';
import { ComplianceEngine } from '@cairn/compliance';
import { DEFAULT_NORMALIZE_OPTIONS } from '@cairn/normalizers';
import { chainOf } from '@cairn/integrity';
import { hostname } from 'node:os';
import {
  ChainIndex,
  CheckpointIndex,
  CheckpointLog,
  RetentionStatements,
  Checkpointer,
  IntegrityAudit,
  ScheduledVerification,
} from '@cairn/integrity-store';
import {
  BatchPipeline,
  ChainLinker,
  complianceTagStep,
  NormalizingDecoder,
  sourcePositionStep,
  senderBindingStep,
  normalizerBugFailpoint,
  RetryingStore,
} from '@cairn/pipeline';
import { connectProducer, IngestConsumer } from './consumer/ingest-consumer';
import { CommittedChainStore } from './consumer/chain-heads';
import type { IngestMetrics } from './metrics/ingest-metrics';

const DEAD_LETTER_HEADROOM_BYTES = 64 * 1024;

/** How long a stop waits for the last checkpoint (a store that is down must not hold the stop). */
const FINAL_CHECKPOINT_WAIT_MS = 100;

const RETRY_DELAYS_MS = [500, 1000, 2000, 5000, 10_000, 30_000];

class KafkaRefusedError extends Error {}

/**
 * Starts ingest once Nest is up: index template, topics, producer, then the consumer. Kafka or
 * Elasticsearch being away at start-up is waited out (and /readyz says so), not a crash loop.
 */
export class IngestService implements OnApplicationBootstrap, OnApplicationShutdown {
  private producer?: Producer;
  private consumer?: IngestConsumer;
  private stopping = false;
  private starting?: Promise<void>;
  private retentionTimer?: NodeJS.Timeout;
  private checkpointer?: Checkpointer;
  private verification?: ScheduledVerification;
  /**
   * Checkpoints and scheduled verifications have a client of their own: a stop while
   * Elasticsearch is away must not wait for their requests to fail (closing a client waits).
   */
  private background?: Client;

  constructor(
    private readonly config: IngestConfig,
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly elasticsearch: Client,
    private readonly log: Logger,
    private readonly metrics: IngestMetrics,
    /** Called when Kafka or Elasticsearch refuses Cairn's own settings at start-up. */
    private readonly onRefused?: (reason: string) => void,
  ) {}

  onApplicationBootstrap(): void {
    this.starting = this.startWithRetry();
  }

  private async startWithRetry(): Promise<void> {
    for (let attempt = 0; !this.stopping; attempt += 1) {
      try {
        await this.start();
        return;
      } catch (error) {
        // A refusal of credentials, trust or client certificate is a setting to fix, not an outage.
        const refusal =
          error instanceof KafkaRefusedError
            ? error.message
            : (kafkaRefusalOf(error) ?? elasticsearchRefusalOf(error));
        if (refusal && this.onRefused) {
          this.log.fatal({ reason: refusal }, 'ingest cannot start: its connection settings were refused');
          this.onRefused(refusal);
          return;
        }
        const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)];
        const reason = error instanceof Error ? error.message : String(error);
        this.log.error({ reason, retryInMs: delay }, 'ingest could not start; retrying');
        // A half-started consumer would stay in the group, holding partitions nobody reads.
        await this.consumer?.stop().catch(() => undefined);
        await this.producer?.disconnect().catch(() => undefined);
        this.producer = undefined;
        this.consumer = undefined;
        for (let waited = 0; waited < delay && !this.stopping; waited += 250) {
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
    }
  }

  private async start(): Promise<void> {
    const { topics } = this.config;
    const refused = this.onRefused && (await kafkaRefusalAtConnect(this.config.kafka));
    if (refused) throw new KafkaRefusedError(refused);
    await this.admin.connect();
    const { conflicts } = await installIndexTemplate(this.elasticsearch, this.config.elasticsearch);
    for (const conflict of conflicts) {
      this.log.warn(conflict, 'an existing index has a mapping the field catalog conflicts with');
    }
    const maxMessageBytes = this.config.topicMaxMessageBytes;
    const replicas = {
      replicationFactor: this.config.topicReplicationFactor,
      minInsyncReplicas: this.config.topicMinInsyncReplicas,
    };
    const partitions = this.config.topicPartitions;
    const created = await ensureTopics(this.admin, [topics.orchestrator, topics.runtime, topics.registry], {
      partitions,
      maxMessageBytes,
      ...replicas,
    });
    // A dead letter is the original message plus headers: its topic must take a little more.
    created.push(
      ...(await ensureTopics(this.admin, [topics.deadLetter], {
        partitions,
        maxMessageBytes: maxMessageBytes + DEAD_LETTER_HEADROOM_BYTES,
        ...replicas,
      })),
    );
    // An encoded event is the stored document and more: its topic takes twice a raw message.
    const feedMaxMessageBytes = 2 * maxMessageBytes;
    const feedTopics = this.config.feed.formats.map((format) => feedTopic(this.config.feed, format));
    created.push(
      ...(await ensureTopics(this.admin, feedTopics, {
        partitions,
        maxMessageBytes: feedMaxMessageBytes,
        ...replicas,
      })),
    );
    if (created.length > 0) this.log.info({ created }, 'created missing topics');
    this.producer = await connectProducer(this.kafka);
    const compliance = new ComplianceEngine(this.config.compliance);
    this.log.info({ version: compliance.version }, 'compliance catalog and scope loaded');
    const integrity = await this.integrity();
    const pipeline = new BatchPipeline({
      chain: integrity?.linker,
      decoder: new NormalizingDecoder(this.log, {
        product: (topic) => topics.sources[topic],
        normalize: { ...DEFAULT_NORMALIZE_OPTIONS, ...this.config.limits },
        failpoint: normalizerBugFailpoint(this.config.failpoints.normalizerBug),
      }),
      steps: [senderBindingStep(), sourcePositionStep(), complianceTagStep(compliance)],
      store: new RetryingStore(
        new BulkWriter(this.elasticsearch, this.config.elasticsearch.indexPrefix, {
          claimIdentities: true,
          fingerprints: integrity?.linker.fingerprints,
        }),
        this.log,
        { observer: this.metrics, maxDocumentsPerBulk: this.config.flow.bulkMaxEvents },
      ),
      deadLetters: new DeadLetterProducer(this.producer, topics.deadLetter),
      feed: new KafkaFeedSink(this.producer, this.config.feed, feedMaxMessageBytes, this.metrics),
      log: this.log,
      observer: this.metrics,
    });
    const consumer = new IngestConsumer(this.kafka, this.config, pipeline, this.log, this.metrics, () =>
      integrity?.forget(),
    );
    this.consumer = consumer;
    await consumer.start();
    if (integrity) this.startCheckpoints(integrity, consumer, compliance);
    this.scheduleRetention();
  }

  /** The chain step and what it reads and writes; undefined when CAIRN_INTEGRITY=off. */
  private async integrity() {
    if (!this.config.integrity.enabled) return undefined;
    const prefix = this.config.elasticsearch.indexPrefix;
    this.background ??= createElasticsearchClient(this.config.elasticsearch);
    const checkpoints = new CheckpointIndex(this.background, prefix);
    await checkpoints.install();
    const store = new CommittedChainStore(
      this.admin,
      this.config.consumerGroup,
      new ChainIndex(this.elasticsearch, prefix),
      this.log,
    );
    const linker = new ChainLinker(store, { log: this.log, observer: this.metrics });
    const forget = () => {
      linker.forgetAll();
      this.checkpointer?.forgetAll();
    };
    return { checkpoints, store, linker, forget };
  }

  /** Every CAIRN_INTEGRITY_CHECKPOINT_SECONDS, a signed checkpoint of each chain this process holds. */
  private startCheckpoints(
    integrity: NonNullable<Awaited<ReturnType<IngestService['integrity']>>>,
    consumer: IngestConsumer,
    compliance: ComplianceEngine,
  ): void {
    const { checkpoints, store, linker } = integrity;
    this.checkpointer = new Checkpointer({
      index: checkpoints,
      log: new CheckpointLog(this.config.integrity.checkpointDir),
      key: this.config.integrity.signingKey!,
      intervalMs: this.config.integrity.checkpointSeconds * 1000,
      logger: this.log,
      onCheckpoint: (chain, outcome) => this.metrics.onCheckpoint(chain, outcome),
      owned: async (known) => {
        const chains = await Promise.all(
          consumer.assigned().map(async ({ topic, partition }) => {
            const chain = chainOf(topic, partition);
            const head =
              linker.headOf(chain) ?? (known ? undefined : await store.headAtCommit(chain, topic, partition));
            return head && { chain, head };
          }),
        );
        return chains.filter((owned) => owned !== undefined);
      },
    });
    this.checkpointer.start();
    const { verifySeconds, verifyThreads, trustedKeys, checkpointDir, checkpointSeconds } =
      this.config.integrity;
    if (verifySeconds === 0) return;
    const prefix = this.config.elasticsearch.indexPrefix;
    this.verification = new ScheduledVerification({
      audit: new IntegrityAudit({
        client: this.background!,
        indexPrefix: prefix,
        checkpoints,
        log: new CheckpointLog(checkpointDir),
        trustedKeys,
        checkpointSeconds,
        // On threads of their own, so hashing the trail never holds up this process's event loop.
        threads: { count: verifyThreads, elasticsearch: this.config.elasticsearch },
      }),
      client: this.background!,
      indexPrefix: prefix,
      intervalMs: verifySeconds * 1000,
      host: hostname(),
      log: this.log,
      tag: (document) => compliance.tag(document),
      onReport: (report) => this.metrics.onVerification(report.findings.length),
      onError: () => this.metrics.onVerification(undefined),
    });
    this.verification.start();
  }

  /**
   * Retention runs in ingest, the process that writes the store, every CAIRN_RETENTION_INTERVAL_HOURS
   * (first one interval after start). Several ingest processes may each run it: deleting a month
   * that is already gone is a no-op.
   */
  private scheduleRetention(): void {
    const hours = this.config.retentionIntervalHours;
    if (hours === 0) return;
    const runner = new RetentionRunner(this.elasticsearch, this.config.elasticsearch.indexPrefix);
    const { integrity } = this.config;
    const statements = integrity.enabled
      ? new RetentionStatements({
          client: this.elasticsearch,
          index: new CheckpointIndex(this.elasticsearch, this.config.elasticsearch.indexPrefix),
          log: new CheckpointLog(integrity.checkpointDir),
          key: integrity.signingKey!,
        })
      : undefined;
    this.retentionTimer = setInterval(() => {
      runner
        .run({
          days: this.config.compliance.retention.days,
          legalHolds: this.config.legalHolds,
          dryRun: false,
          beforeDelete: statements && ((index) => statements.sign(index)),
        })
        .then(
          (outcome) => this.log.info({ deleted: outcome.deleted, held: outcome.held }, 'retention ran'),
          (error: unknown) =>
            this.log.error({ err: error }, 'retention failed; next try at the next interval'),
        );
    }, hours * 3_600_000);
    this.retentionTimer.unref();
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.log.info({ signal }, 'stopping ingest');
    this.stopping = true;
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    await this.starting;
    this.verification?.stop();
    await this.consumer?.stop();
    // The heads reached are signed once more, so a clean stop leaves no event uncovered.
    await this.checkpointer?.stop(FINAL_CHECKPOINT_WAIT_MS);
    await this.producer?.disconnect();
    await this.admin.disconnect();
    await this.elasticsearch.close();
    void this.background?.close().catch(() => undefined);
    this.log.info('ingest stopped');
  }
}
