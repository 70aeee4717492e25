import type { KafkaConfig } from '@cairn/config';

/** What the Kafka thread is started with. */
export interface KafkaThreadData {
  readonly kafka: KafkaConfig;
  readonly retries: number;
}

export interface ThreadRecord {
  readonly topic: string;
  readonly acks: number;
  readonly timeout?: number;
  readonly compression?: number;
  readonly messages: { readonly value: Uint8Array; readonly headers: Record<string, string> }[];
}

export type ToKafkaThread =
  { readonly kind: 'send'; readonly id: number; readonly record: ThreadRecord } | { readonly kind: 'close' };

export type FromKafkaThread =
  | { readonly kind: 'sent'; readonly id: number }
  | { readonly kind: 'failed'; readonly id: number; readonly message: string; readonly type?: string }
  | {
      readonly kind: 'log';
      readonly level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
      readonly message: string;
      readonly fields: object;
    }
  | { readonly kind: 'closed' };
