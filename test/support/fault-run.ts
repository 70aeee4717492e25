import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Client } from '@elastic/elasticsearch';
import { AssignerProtocol, type Admin, type Producer } from 'kafkajs';
import { createCompleteProducer } from '@cairn/kafka';
import { FindingKind, keyIdOf } from '@cairn/integrity';
import { CheckpointIndex, CheckpointLog, IntegrityAudit } from '@cairn/integrity-store';
import { freePort, startApp, type RunningApp } from './app-process';
import { readDeadLettersToEnd } from './dead-letters';
import {
  appEnvironment,
  checkpointDirOf,
  elasticsearch,
  eventually,
  isolatedNames,
  kafka,
  removeIsolated,
  TEST_INTEGRITY_KEY_FILE,
  type IsolatedNames,
} from './local-stack';
import { NORMALIZER_BUG_MARKER, type RawTopic, type WorkloadMessage } from './workload';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Verdict {
  readonly expectedIds: number;
  readonly storedDocuments: number;
  /** Records Cairn wrote itself (an API's access records): stored, chained, not of the workload. */
  readonly ownRecords: number;
  readonly missing: string[];
  readonly unexpected: string[];
  readonly duplicated: string[];
  readonly deadLetterRecords: number;
  readonly deadLetterMessages: number;
  /** Source positions dead-lettered more than once under different codes (never right). */
  readonly deadLetterCodeConflicts: string[];
  readonly deadLetterCodes: Record<string, number>;
  /** Events verified in their hash chains, once a checkpoint covered every chain's head. */
  readonly chained: number;
  /** What verification found wrong in the chains (gaps between checkpoints are a fault's truth, not listed). */
  readonly chainFindings: string[];
}

/** Fault runs checkpoint often, so the verification at the end holds every chain against a signature. */
export const FAULT_CHECKPOINT_SECONDS = 3;

/**
 * One fault-test run: isolated topics, group and indices; ingest processes started and killed at
 * will; a producer pacing a known workload in; and an exact account of what ended where.
 */
export class FaultRun {
  readonly names: IsolatedNames;
  readonly env: Record<string, string>;
  readonly ingests: RunningApp[] = [];
  private producer?: Producer;
  private admin?: Admin;
  readonly es: Client = elasticsearch();
  private produced = 0;

  constructor(label: string, extraEnv: Record<string, string> = {}) {
    this.names = isolatedNames(label);
    this.env = {
      ...appEnvironment(this.names),
      CAIRN_LOG_LEVEL: 'error',
      // The failpoint that lets the suite produce NORMALIZER_FAILURE; development mode only.
      CAIRN_MODE: 'development',
      CAIRN_FAILPOINT_NORMALIZER_BUG: NORMALIZER_BUG_MARKER,
      CAIRN_INTEGRITY_CHECKPOINT_SECONDS: String(FAULT_CHECKPOINT_SECONDS),
      // The suite's oversized message (5 MiB) must be over ingest's limit and, uncompressed, under
      // the topic's 8 MiB max.message.bytes: a 4 MiB limit, below the 12 MiB default.
      CAIRN_MAX_MESSAGE_BYTES: String(4 * 1024 * 1024),
      ...extraEnv,
    };
  }

  /** The run's admin client, once begun. */
  get kafkaAdmin(): Admin {
    if (!this.admin) throw new Error('the run has not begun');
    return this.admin;
  }

  topicOf(topic: RawTopic): string {
    return this.names.topics[topic];
  }

  async startIngest(extraEnv: Record<string, string> = {}): Promise<RunningApp> {
    const app = await startApp('ingest', { ...this.env, ...extraEnv }, await freePort());
    this.ingests.push(app);
    return app;
  }

  /** Starts the first ingest process (which creates topics and the index template) and clients. */
  async begin(): Promise<RunningApp> {
    const first = await this.startIngest();
    this.admin = kafka().admin();
    await this.admin.connect();
    await eventually(
      async () =>
        (await this.admin!.listTopics()).includes(this.names.topics.deadLetter) ? true : undefined,
      'ingest to create its topics',
    );
    // Retries of our own are needed around a broker restart; kafkajs' give up after ~1 min.
    this.producer = createCompleteProducer(kafka(), { allowAutoTopicCreation: false });
    await this.producer.connect();
    return first;
  }

  /** An index for `month` made before any event, with `message` mapped as a number. */
  async createConflictingIndex(month: string): Promise<void> {
    const index = `${this.names.indexPrefix}-${month.replace('-', '.')}`;
    await this.es.indices.create({ index, mappings: { properties: { message: { type: 'long' } } } });
  }

  /**
   * Sends `messages` in order, `perSecond` at most, in chunks; a failed send is retried until the
   * broker takes it (a retried chunk may be stored twice in Kafka: the test must stay exact anyway).
   */
  async produce(messages: readonly WorkloadMessage[], perSecond: number, chunk = 250): Promise<void> {
    const started = Date.now();
    for (let from = 0; from < messages.length; from += chunk) {
      const slice = messages.slice(from, from + chunk);
      const byTopic = new Map<string, { value: Buffer }[]>();
      for (const message of slice) {
        const topic = this.topicOf(message.topic);
        byTopic.set(topic, [...(byTopic.get(topic) ?? []), { value: message.value }]);
      }
      for (;;) {
        try {
          await this.producer!.sendBatch({
            acks: -1,
            topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list })),
          });
          break;
        } catch {
          await sleep(500);
        }
      }
      this.produced += slice.length;
      const due = started + ((from + slice.length) / perSecond) * 1000;
      if (due > Date.now()) await sleep(due - Date.now());
    }
  }

  get producedCount(): number {
    return this.produced;
  }

  async storedCount(): Promise<number> {
    const index = `${this.names.indexPrefix}-*`;
    try {
      return (await this.es.count({ index, allow_no_indices: true })).count;
    } catch {
      return 0; // Elasticsearch may be the fault under test
    }
  }

  /** Resolves once the group has committed every raw partition to its end: every fate is final. */
  async waitUntilDrained(group = this.names.group, timeoutMs = 150_000): Promise<void> {
    const raw = [this.names.topics.orchestrator, this.names.topics.runtime, this.names.topics.registry];
    let behind: string[] = [];
    try {
      await eventually(
        async () => {
          behind = await this.partitionsBehind(group, raw);
          return behind.length === 0 ? true : undefined;
        },
        `group ${group} to commit every raw partition to its end`,
        timeoutMs,
      );
    } catch (error) {
      const logs = this.ingests.map((app, i) => `--- ingest ${i}:\n${app.output().slice(-4000)}`);
      throw new Error(`${(error as Error).message}; behind: ${behind.join(', ')}\n${logs.join('\n')}`);
    }
  }

  /** Partitions assigned to each member of the group now (empty while it rebalances). */
  async assignedPartitions(group = this.names.group): Promise<number[]> {
    const [described] = (await this.admin!.describeGroups([group])).groups;
    if (described?.state !== 'Stable') return [];
    return described.members.map((member) => {
      const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
      return Object.values(decoded?.assignment ?? {}).reduce((sum, partitions) => sum + partitions.length, 0);
    });
  }

  private async partitionsBehind(group: string, topics: string[]): Promise<string[]> {
    const committed = await this.admin!.fetchOffsets({ groupId: group, topics });
    const behind: string[] = [];
    for (const topic of topics) {
      const ends = await this.admin!.fetchTopicOffsets(topic);
      const mine = committed.find((entry) => entry.topic === topic)?.partitions ?? [];
      for (const end of ends) {
        const at = mine.find((p) => p.partition === end.partition)?.offset ?? '-1';
        const done = Number(end.high) === 0 || Number(at) >= Number(end.high);
        if (!done) behind.push(`${topic}/${end.partition} at ${at} of ${end.high}`);
      }
    }
    return behind;
  }

  /** Every stored id (with how often), every dead letter, compared with what the workload says. */
  async verify(good: readonly WorkloadMessage[]): Promise<Verdict> {
    const index = `${this.names.indexPrefix}-*`;
    await this.es.indices.refresh({ index });
    const stored = new Map<string, number>();
    let after: Record<string, string> | undefined;
    for (;;) {
      const response = await this.es.search({
        index,
        size: 0,
        aggs: {
          ids: {
            composite: { size: 10_000, sources: [{ id: { terms: { field: 'event.id' } } }], after },
          },
        },
      });
      const ids = response.aggregations!.ids as {
        buckets: { key: { id: string }; doc_count: number }[];
        after_key?: Record<string, string>;
      };
      for (const bucket of ids.buckets) stored.set(bucket.key.id, bucket.doc_count);
      if (!ids.after_key || ids.buckets.length === 0) break;
      after = ids.after_key;
    }
    const expected = new Set(good.flatMap((message) => message.ids));
    const storedDocuments = (await this.es.count({ index })).count;
    const own = await this.es.search({
      index,
      size: 10_000,
      _source: false,
      query: { term: { 'cairn.product': 'cairn' } },
      docvalue_fields: ['event.id'],
    });
    const ownIds = new Set(own.hits.hits.map((hit) => String((hit.fields?.['event.id'] as string[])[0])));
    const letters = await readDeadLettersToEnd(this.admin!, this.names.topics.deadLetter, this.names.group);
    const distinct = new Map<string, string>();
    const conflicts = new Set<string>();
    for (const letter of letters) {
      const earlier = distinct.get(letter.position);
      if (earlier !== undefined && earlier !== letter.code) conflicts.add(letter.position);
      distinct.set(letter.position, letter.code);
    }
    const deadLetterCodes: Record<string, number> = {};
    for (const code of distinct.values()) deadLetterCodes[code] = (deadLetterCodes[code] ?? 0) + 1;
    return {
      expectedIds: expected.size,
      storedDocuments,
      missing: [...expected].filter((id) => !stored.has(id)),
      unexpected: [...stored.keys()].filter((id) => !expected.has(id) && !ownIds.has(id)),
      ownRecords: ownIds.size,
      duplicated: [...stored].filter(([, count]) => count > 1).map(([id]) => id),
      deadLetterRecords: letters.length,
      deadLetterMessages: distinct.size,
      deadLetterCodeConflicts: [...conflicts],
      deadLetterCodes,
      ...(await this.verifyChains()),
    };
  }

  /**
   * Every chain verified from its first link, once a checkpoint signed after the drain covers it:
   * a replay, a kill -9 or a rebalance must have rebuilt the same positions, never forked them.
   */
  private async verifyChains(): Promise<{ chained: number; chainFindings: string[] }> {
    const key = createPublicKey(readFileSync(TEST_INTEGRITY_KEY_FILE, 'utf8'));
    const audit = new IntegrityAudit({
      client: this.es,
      indexPrefix: this.names.indexPrefix,
      checkpoints: new CheckpointIndex(this.es, this.names.indexPrefix),
      log: new CheckpointLog(checkpointDirOf(this.names)),
      trustedKeys: new Map<string, KeyObject>([[keyIdOf(key), key]]),
      checkpointSeconds: FAULT_CHECKPOINT_SECONDS,
    });
    let last = await audit.verify();
    for (let waited = 0; waited < 30_000; waited += 1000) {
      if (last.chains.every((chain) => chain.pending === 0)) break;
      await sleep(1000);
      last = await audit.verify();
    }
    // A fault stops a writer, so a stretch without checkpoints is its own finding; a checkpoint
    // missing from between two (one naming a previous that exists nowhere) never is.
    const chainFindings = last.findings
      .filter((finding) => finding.kind !== FindingKind.CHECKPOINT_GAP || finding.checkpoint !== undefined)
      .map((finding) => `${finding.kind} ${finding.chain}: ${finding.message}`);
    const pending = last.chains.filter((chain) => chain.pending > 0);
    for (const chain of pending)
      chainFindings.push(`${chain.chain}: ${chain.pending} events never covered by a checkpoint`);
    return { chained: last.eventsVerified, chainFindings };
  }

  /** Every stored link of `chain` in seq order, with the event's id, position and store time. */
  async storedLinks(chain: string): Promise<Record<string, unknown>[]> {
    const links: Record<string, unknown>[] = [];
    let after: (string | number)[] | undefined;
    for (;;) {
      const page = await this.es.search<{
        event: { id: string; ingested?: string };
        cairn: { integrity: Record<string, unknown>; position: Record<string, unknown> };
      }>({
        index: `${this.names.indexPrefix}-*`,
        size: 5000,
        query: { term: { 'cairn.integrity.chain': chain } },
        sort: [{ 'cairn.integrity.seq': 'asc' }, { 'event.id': 'asc' }],
        _source: ['event.id', 'event.ingested', 'cairn.integrity', 'cairn.position'],
        search_after: after,
      });
      const hits = page.hits.hits;
      for (const hit of hits) {
        const { event, cairn } = hit._source!;
        links.push({ id: event.id, ingested: event.ingested, ...cairn.integrity, position: cairn.position });
      }
      if (hits.length === 0) break;
      after = hits.at(-1)!.sort as (string | number)[];
    }
    return links;
  }

  async end(): Promise<void> {
    await Promise.all(this.ingests.map((app) => app.stop().catch(() => undefined)));
    await this.producer?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
    await removeIsolated(this.names).catch(() => undefined);
    await this.es.close();
  }
}

/** Counts per code, to compare with the dead-letter codes found. */
export function codesOf(bad: readonly WorkloadMessage[]): Record<string, number> {
  const codes: Record<string, number> = {};
  for (const message of bad) codes[message.expectedCode!] = (codes[message.expectedCode!] ?? 0) + 1;
  return codes;
}

/** Bad messages spread over the stream's first `span` messages, one every `every`. */
export function interleave(
  valid: readonly WorkloadMessage[],
  invalid: readonly WorkloadMessage[],
  every: number,
) {
  const stream: WorkloadMessage[] = [];
  let next = 0;
  valid.forEach((message, index) => {
    if (index % every === 0 && next < invalid.length) stream.push(invalid[next++]);
    stream.push(message);
  });
  stream.push(...invalid.slice(next));
  return stream;
}

/**
 * `letters: 'once'` where nothing can make a message be read twice; otherwise a message re-read
 * after a fault is dead-lettered again (harmless: re-driving is idempotent), always with one code.
 */
export function expectExact(
  verdict: Verdict,
  invalid: readonly WorkloadMessage[],
  letters: 'once' | 'repeats allowed',
) {
  expect(verdict.missing).toEqual([]);
  expect(verdict.unexpected).toEqual([]);
  expect(verdict.duplicated).toEqual([]);
  expect(verdict.storedDocuments).toBe(verdict.expectedIds + verdict.ownRecords);
  expect(verdict.deadLetterMessages).toBe(invalid.length);
  expect(verdict.deadLetterCodes).toEqual(codesOf(invalid));
  expect(verdict.deadLetterCodeConflicts).toEqual([]);
  // Every stored event holds its place in its partition's chain, as if no fault had happened.
  expect(verdict.chainFindings).toEqual([]);
  expect(verdict.chained).toBe(verdict.storedDocuments);
  if (letters === 'once') expect(verdict.deadLetterRecords).toBe(invalid.length);
  else expect(verdict.deadLetterRecords).toBeGreaterThanOrEqual(invalid.length);
}
