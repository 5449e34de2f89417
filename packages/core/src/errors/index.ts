export { GokaError } from './goka-error.js';
export type { GokaErrorOptions } from './goka-error.js';
export type { GokaErrorCode, GokaErrorCodes } from './error-codes.js';
export { CodecError } from './codec-error.js';
export { CodecBindError } from './codec-bind-error.js';
export type { CodecBindFailure } from './codec-bind-error.js';
export type { CodecErrorContext, CodecErrorInit, CodecOperation } from './codec-error.js';
export { ReservedKeyError, StorageClosedError, StorageError, StorageLockedError } from './storage-error.js';
export type { StorageLocation } from './storage-error.js';
export {
  KafkaAdapterMissingError,
  KafkaConnectionError,
  PartitionNotFoundError,
  PartitionReadError,
  ProduceFailedError,
  ProducerFencedError,
  ProducerSequenceError,
  TopicNotFoundError,
} from './kafka-error.js';
export type { KafkaConnectionErrorOptions, ProduceFailedOptions, ProducerSequenceErrorInit } from './kafka-error.js';
export { KafkaAuthenticationError, KafkaTlsError } from './kafka-security-error.js';
export { KafkaBrokersError } from './kafka-brokers-error.js';
export type { KafkaAuthenticationErrorOptions, KafkaTlsErrorOptions, TlsProblem } from './kafka-security-error.js';
export { BatchDecompressionError, CompressionUnavailableError } from './compression-error.js';
export { GraphValidationError } from './graph-validation-error.js';
export type { GraphRule, GraphValidationDetails } from './graph-validation-error.js';
export { DeliveryTimeoutError, EmitterClosedError, EmitterKeyError, EmitterOptionsError } from './emitter-error.js';
export type { DeliveryTimeoutDetails } from './emitter-error.js';
export {
  TopicCreationOptionsError,
  TopicMismatchError,
  TopicNotCopartitionedError,
  TopicNotCreatedError,
  TopicPartitionGapError,
} from './topic-error.js';
export { TableDecodeError, TableError, type TableErrorDetails, TableGoneError, type TableOperation, ViewError, ViewNotRunningError } from './table-error.js';
export { CommitFailedError, RebalanceError } from './group-error.js';
export { ContextError, ProcessingError, ProcessorError, VisitAbortedError } from './processor-error.js';
export type { MessageLocation } from './processor-error.js';
