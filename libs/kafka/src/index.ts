export { DEAD_LETTER_HEADERS, DeadLetterProducer, type DeadLetter } from './dead-letter.producer';
export { createKafka, ensureTopics, kafkaReachable, type KafkaLogSink } from './kafka-client';
export { kafkaErrorType } from './kafka-error-causes';
export { kafkaRefusalAtConnect, kafkaRefusalOf } from './kafka-refusal';
export {
  readDeadLetterTopic,
  redriveDeadLetters,
  type DeadLetterFilter,
  type StoredDeadLetter,
} from './dead-letter.reader';
export { createCompleteProducer, sendCompletely, stickyPartitioner } from './complete-producer';
