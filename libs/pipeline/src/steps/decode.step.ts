import { CairnEventError, EventErrorCode, type AuditEventDocument, type Product } from '@cairn/event-schema';
import { normalizeRawEvent, type NormalizeOptions } from '@cairn/normalizers';
import type { Failure, PipelineLog, RawMessage } from '../pipeline.types';

export type Decoded =
  | { readonly documents: AuditEventDocument[]; readonly failure?: undefined }
  | { readonly documents?: undefined; readonly failure: Failure };

/** The first step: a raw message's bytes become validated events, or one failure with a code. */
export interface MessageDecoder {
  decode(message: RawMessage, topic: string, receivedAt: Date): Decoded;
}

export interface NormalizingDecoderOptions {
  /** The source a topic is bound to; unbound topics are detected per message by content. */
  readonly product?: (topic: string) => Product | undefined;
  readonly normalize?: NormalizeOptions;
  /** Runs before normalizing each message; throws where a normalizer bug would (see failpoints). */
  readonly failpoint?: (bytes: Buffer) => void;
}

/** Decode, detect the source, normalize and validate (the normalizers lib does all four). */
export class NormalizingDecoder implements MessageDecoder {
  constructor(
    private readonly log: PipelineLog,
    private readonly options: NormalizingDecoderOptions = {},
  ) {}

  decode(message: RawMessage, topic: string, receivedAt: Date): Decoded {
    try {
      const product = this.options.product?.(topic);
      const bytes = message.value ?? Buffer.alloc(0);
      this.options.failpoint?.(bytes);
      return { documents: normalizeRawEvent({ bytes, receivedAt, product }, this.options.normalize) };
    } catch (error) {
      if (error instanceof CairnEventError) return { failure: { code: error.code, message: error.message } };
      // One message must not stall its partition forever through a normalizer bug.
      this.log.error({ err: error, topic, offset: message.offset }, 'normalizer failed unexpectedly');
      const text = error instanceof Error ? error.message : String(error);
      return { failure: { code: EventErrorCode.NormalizerFailure, message: text } };
    }
  }
}

/**
 * CAIRN_FAILPOINT_NORMALIZER_BUG (development mode only): a message containing the marker throws a
 * plain error, as a normalizer bug would, so a test can watch one go to the dead-letter topic.
 */
export function normalizerBugFailpoint(marker: string | undefined): ((bytes: Buffer) => void) | undefined {
  if (!marker) return undefined;
  const needle = Buffer.from(marker);
  return (bytes) => {
    if (bytes.includes(needle)) throw new TypeError('failpoint CAIRN_FAILPOINT_NORMALIZER_BUG was hit');
  };
}
