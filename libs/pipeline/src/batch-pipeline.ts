import { EventErrorCode, type AuditEventDocument } from '@cairn/event-schema';
import type { MessageDecoder } from './steps/decode.step';
import type { DocumentStep } from './steps/document-step';
import { senderHeadersOf } from './steps/sender-binding.step';
import type { DeadLetterSink } from './sinks/dead-letter.sink';
import type { FeedSink } from './sinks/feed.sink';
import type { StoreSink } from './sinks/store.sink';
import type { ChainLinker } from './integrity/chain-linker';
import {
  NO_OBSERVER,
  type BatchContext,
  type BatchOutcome,
  type Failure,
  type PipelineLog,
  type PipelineObserver,
  type RawMessage,
} from './pipeline.types';

export interface BatchPipelineParts {
  /** decode → detect → normalize → validate: bytes to events. */
  readonly decoder: MessageDecoder;
  /** In order, after decoding: tag, and later the integrity chain and pseudonymization. */
  readonly steps?: readonly DocumentStep[];
  /** The integrity chain: links before the store, settled to what was stored after it. */
  readonly chain?: ChainLinker;
  readonly store: StoreSink;
  readonly deadLetters: DeadLetterSink;
  /** The SIEM feed topics, written after the store and before the commit. */
  readonly feed?: FeedSink;
  readonly log: PipelineLog;
  readonly observer?: PipelineObserver;
  readonly now?: () => Date;
}

interface Entry {
  readonly message: RawMessage;
  readonly documents: AuditEventDocument[];
  failure?: Failure;
  attempts: number;
}

const NOTHING: BatchOutcome = { stored: 0, duplicates: 0, deadLettered: 0 };

/**
 * One batch's journey: every message through the steps, every event to the store, stored events
 * to the feed, what will never be stored to the dead-letter topic with its bytes, and only then
 * the offset that is safe to commit. Nothing is dropped: a message is stored or dead-lettered.
 */
export class BatchPipeline {
  private readonly now: () => Date;
  private readonly observer: PipelineObserver;
  private readonly steps: readonly DocumentStep[];

  constructor(private readonly parts: BatchPipelineParts) {
    this.now = parts.now ?? (() => new Date());
    this.observer = parts.observer ?? NO_OBSERVER;
    this.steps = parts.steps ?? [];
  }

  async process(messages: readonly RawMessage[], context: BatchContext): Promise<BatchOutcome> {
    if (messages.length === 0) return NOTHING;
    this.observer.onBatch(context.topic, messages.length);
    const firstSeen = this.now();
    const entries = messages.map((message) => this.prepare(message, context, firstSeen));
    const owners = entries.flatMap((entry) => entry.documents.map(() => entry));
    const decoded = entries.flatMap((entry) => entry.documents);
    const { chain } = this.parts;
    const linked = chain && (await chain.link(decoded, context, messages[0].offset));
    if (chain && !linked) return NOTHING;
    const documents = linked?.documents ?? decoded;
    const outcomes = await this.parts.store.store(documents, context);
    if (!outcomes) return NOTHING;
    const commitOffset = (BigInt(messages[messages.length - 1].offset) + 1n).toString();

    let stored = 0;
    let duplicates = 0;
    const delivered: AuditEventDocument[] = [];
    outcomes.forEach((outcome, index) => {
      if (outcome.status === 'failed') {
        owners[index].failure = outcome.failure;
        owners[index].attempts = outcome.attempts;
        return;
      }
      if (outcome.status === 'created') stored += 1;
      else duplicates += 1;
      delivered.push(documents[index]);
    });
    const settled = linked && (await chain.settle(linked, outcomes, commitOffset, context));
    if (linked && !settled) return NOTHING;
    await this.parts.feed?.publish(settled ? settled.delivered : delivered);

    const failed = entries.filter((entry) => entry.failure);
    await this.parts.deadLetters.send(
      failed.map((entry) => ({
        key: entry.message.key,
        value: entry.message.value,
        code: entry.failure!.code,
        message: entry.failure!.message,
        sourceTopic: context.topic,
        sourcePartition: context.partition,
        sourceOffset: entry.message.offset,
        firstFailure: firstSeen,
        attempts: entry.attempts,
        headers: { ...senderHeadersOf(entry.message), ...entry.failure!.headers },
      })),
    );
    for (const entry of failed) this.observer.onDeadLetter(entry.failure!.code);
    this.observer.onStored(stored);
    this.observer.onDuplicate(duplicates);
    return { commitOffset, stored, duplicates, deadLettered: failed.length, chainHead: settled?.head };
  }

  private prepare(message: RawMessage, context: BatchContext, receivedAt: Date): Entry {
    const decoded = this.parts.decoder.decode(message, context.topic, receivedAt);
    if (decoded.failure) return { message, documents: [], failure: decoded.failure, attempts: 1 };
    let step: DocumentStep | undefined;
    try {
      const documents = decoded.documents.map((document, index) => {
        const position = {
          topic: context.topic,
          partition: context.partition,
          offset: message.offset,
          index,
        };
        let current = document;
        for (step of this.steps) current = step.apply(current, position, message);
        return current;
      });
      return { message, documents, attempts: 1 };
    } catch (error) {
      this.parts.log.error(
        { err: error, topic: context.topic, offset: message.offset, step: step?.name },
        'pipeline step failed unexpectedly',
      );
      const text = error instanceof Error ? error.message : String(error);
      return {
        message,
        documents: [],
        failure: { code: EventErrorCode.NormalizerFailure, message: `step ${step?.name}: ${text}` },
        attempts: 1,
      };
    }
  }
}
