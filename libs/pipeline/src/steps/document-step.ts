import type { AuditEventDocument } from '@cairn/event-schema';
import type { RawMessage } from '../pipeline.types';

/**
 * Where an event sits in its source: the raw message's topic, partition and offset, and its place
 * among the events that message became. Deterministic, so a step that numbers events (the
 * integrity chain) gives a replayed message the same numbers.
 */
export interface EventPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly index: number;
}

/**
 * One step after decoding, in order: compliance tagging today; the integrity chain and
 * pseudonymization go here too. A step returns the event it was given, changed or not; a step that
 * throws fails its message: it is dead-lettered as NORMALIZER_FAILURE, naming the step.
 */
export interface DocumentStep {
  readonly name: string;
  apply(document: AuditEventDocument, position: EventPosition, message: RawMessage): AuditEventDocument;
}

/** Adds the compliance controls each event evidences (cairn.compliance) before it is stored. */
export function complianceTagStep(tagger: {
  tag(document: AuditEventDocument): AuditEventDocument;
}): DocumentStep {
  return { name: 'tag', apply: (document) => tagger.tag(document) };
}

/**
 * Records where the event was read (cairn.position): the SIEM feed pages by it, in an order
 * that needs no clock, and a replay gives the same position. Kafka offsets stay below 2^53.
 */
export function sourcePositionStep(): DocumentStep {
  return {
    name: 'position',
    apply: (document, at) => ({
      ...document,
      cairn: {
        ...document.cairn,
        position: { topic: at.topic, partition: at.partition, offset: Number(at.offset), item: at.index },
      },
    }),
  };
}
