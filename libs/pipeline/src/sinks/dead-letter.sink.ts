import type { DeadLetter } from '@cairn/kafka';

/** Where messages that will never be stored go, with their bytes; resolves once durable. */
export interface DeadLetterSink {
  send(letters: readonly DeadLetter[]): Promise<void>;
}
