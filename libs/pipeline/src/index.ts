export { BatchPipeline, type BatchPipelineParts } from './batch-pipeline';
export { chunkMessages, type ChunkLimits } from './chunks';
export type {
  BatchContext,
  BatchOutcome,
  ChainOperation,
  Failure,
  PipelineLog,
  PipelineObserver,
  RawHeaders,
  RawMessage,
} from './pipeline.types';
export { NO_OBSERVER } from './pipeline.types';
export {
  NormalizingDecoder,
  normalizerBugFailpoint,
  type Decoded,
  type MessageDecoder,
  type NormalizingDecoderOptions,
} from './steps/decode.step';
export {
  complianceTagStep,
  sourcePositionStep,
  type DocumentStep,
  type EventPosition,
} from './steps/document-step';
export { SENDER_HEADERS, senderBindingStep } from './steps/sender-binding.step';
export type { DeadLetterSink } from './sinks/dead-letter.sink';
export type { FeedSink } from './sinks/feed.sink';
export {
  RetryingStore,
  type DocumentWriter,
  type RetryingStoreOptions,
  type StoreOutcome,
  type StoreSink,
} from './sinks/store.sink';
export {
  ChainLinker,
  type ChainLinkerOptions,
  type ChainStore,
  type LinkedBatch,
  type LinkUpdate,
  type SettledBatch,
  type StoredCopy,
} from './integrity/chain-linker';
