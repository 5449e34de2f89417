/**
 * @goka/core — Goka's stream processing engine for TypeScript (framework-free).
 * Explicit list of the public API, grouped by Goka concept.
 */

// errors
export {
  BatchDecompressionError,
  CodecError,
  CompressionUnavailableError,
  CommitFailedError,
  ContextError,
  DeliveryTimeoutError,
  EmitterClosedError,
  EmitterKeyError,
  EmitterOptionsError,
  GokaError,
  GraphValidationError,
  PartitionNotFoundError,
  KafkaAdapterMissingError,
  KafkaAuthenticationError,
  KafkaBrokersError,
  KafkaConnectionError,
  KafkaTlsError,
  PartitionReadError,
  ProcessingError,
  ProcessorError,
  ProduceFailedError,
  ProducerFencedError,
  ProducerSequenceError,
  RebalanceError,
  ReservedKeyError,
  StorageClosedError,
  StorageError,
  StorageLockedError,
  TableDecodeError,
  TableError,
  TableGoneError,
  TopicCreationOptionsError,
  TopicMismatchError,
  TopicNotCopartitionedError,
  TopicNotCreatedError,
  TopicNotFoundError,
  TopicPartitionGapError,
  ViewError,
  VisitAbortedError,
  ViewNotRunningError,
} from './errors/index.js';
export type {
  CodecErrorContext,
  CodecErrorInit,
  CodecOperation,
  DeliveryTimeoutDetails,
  GokaErrorOptions,
  KafkaAuthenticationErrorOptions,
  KafkaConnectionErrorOptions,
  KafkaTlsErrorOptions,
  GraphRule,
  GraphValidationDetails,
  MessageLocation,
  ProduceFailedOptions,
  ProducerSequenceErrorInit,
  StorageLocation,
  TableErrorDetails,
  TableOperation,
  TlsProblem,
} from './errors/index.js';

// codecs
export { bigint64Codec, bytesCodec, codecs, int64Codec, jsonCodec, stringCodec } from './codec/index.js';
export type { Codec, Codecs, CodecValue } from './codec/index.js';

// partitioner
export { fnv1a32, fnv1a32Bytes, hashPartitioner, partitionFor } from './partitioner/index.js';
export type { Hasher, Partitioner } from './partitioner/index.js';

// storage
export {
  checkKey,
  checkOffset,
  checkOps,
  checkValue,
  checkWritableKey,
  compareUtf8,
  decodeOffset,
  encodeOffset,
  MemoryStorage,
  memoryStorageFactory,
  normalizeKey,
  OFFSET_KEY,
  runStorageConformance,
  storageDirectoryName,
} from './storage/index.js';
export type {
  ConformanceTestApi,
  MemoryStorageOptions,
  Storage,
  StorageConformanceOptions,
  StorageEntry,
  StorageFactory,
  StorageIterator,
  StorageOp,
  StorageRange,
} from './storage/index.js';

// kafka
export {
  ActivityToken,
  COMPRESSION_TYPES,
  copartitionAssignor,
  DEFAULT_ADAPTER_PACKAGE,
  DEFAULT_COMPRESSION,
  MemberCrashedError,
  MemoryConsumerGroup,
  MemoryActivity,
  MemoryGroupCoordinator,
  MemoryKafka,
  MemoryPartitionLog,
  MemoryTopic,
  resolveKafka,
} from './kafka/index.js';
export type {
  AppendListener,
  Assignment,
  Assignor,
  ClientOptions,
  CommitOffset,
  CompressionType,
  ConsumerGroup,
  ConsumerGroupOptions,
  CopartitionAssignorOptions,
  GroupGeneration,
  GroupHandler,
  GroupMember,
  GroupSession,
  Headers,
  IsolationLevel,
  KafkaAdapter,
  KafkaAdmin,
  KafkaBrokerOptions,
  KafkaConnectionOptions,
  KafkaMessage,
  KafkaProducer,
  KafkaRetryOptions,
  KafkaSaslOptions,
  KafkaSocketFactory,
  KafkaSocketFactoryArgs,
  ReaderOptions,
  Transaction,
  TransactionalProducer,
  TransactionalProducerOptions,
  MemoryKafkaOptions,
  MemoryTopicOptions,
  OutgoingMessage,
  PartitionOffsets,
  PartitionReader,
  ProduceFault,
  ProducedOffset,
  ProducerOptions,
  ReadBatch,
  TopicDescription,
  TopicSpec,
} from './kafka/index.js';

// logging
export { prefixedLogger, silentLogger, streamLogger } from './util/logger.js';
export type { GokaLogger, LogFields, LogLevel } from './util/logger.js';

// group graph
export {
  codecName,
  defineGroup,
  DEFAULT_LOOP_SUFFIX,
  DEFAULT_TABLE_SUFFIX,
  GroupBuilder,
  GroupGraph,
  input,
  inputs,
  join,
  lookup,
  loop,
  loopName,
  output,
  persist,
  tableName,
  visitor,
} from './graph/index.js';
export type {
  ConsumeOptions,
  ContextOf,
  ContextTypesOf,
  Edge,
  EdgeKind,
  GraphEdge,
  Group,
  GroupDefinition,
  InputEdge,
  InputsEdge,
  JoinEdge,
  LookupEdge,
  LoopEdge,
  LooseEdge,
  NoCallbacks,
  OutputEdge,
  PersistEdge,
  ProcessCallback,
  ResolvedGroupDefinition,
  SchemaEdge,
  Stream,
  Table,
  VisitorEdge,
  WithLoop,
} from './graph/index.js';

// topic manager
export { TopicManager } from './topic/index.js';
export type { CreateTopicsOptions, MismatchPolicy, TopicCreateSpec, TopicManagerOptions } from './topic/index.js';

// emitter
export { Emitter } from './emitter/index.js';
export type { EmitOptions, EmitterOptions, EmitterStats, EmitterTransaction } from './emitter/index.js';

// table
export { PARTITION_STATES, PartitionTable, planRecovery } from './table/index.js';
export type {
  LoadOptions,
  PartitionState,
  PartitionTableOptions,
  PartitionTableStats,
  RecoveryPlan,
  RecoveryStats,
  RecoveryStatus,
  UpdateCallback,
  UpdateContext,
  ValueDecoder,
} from './table/index.js';

// view
export { View, VIEW_STATES } from './view/index.js';
export type { ViewEntry, ViewOptions, ViewState, ViewStateListener, ViewStats } from './view/index.js';

// error policies
export { deadLetter, defaultDeadLetterTopic, retry } from './policy/error-policy.js';
export type {
  DeadLetterPolicy,
  ErrorPolicy,
  ErrorPolicyFunction,
  FailedRecord,
  FinalErrorPolicy,
  RetryOptions,
  RetryPolicy,
} from './policy/error-policy.js';

// utilities
export { DEFAULT_BACKOFF, SimpleBackoff } from './util/backoff.js';
export type { BackoffOptions } from './util/backoff.js';
export { StateSignal } from './util/state.js';
export type { StateListener, StateReader } from './util/state.js';

// processor and context
export { DEAD_LETTER_HEADERS, Processor, PROCESSOR_STATES } from './processor/index.js';
export type {
  ErrorPolicyStats,
  NilHandling,
  PartitionInputStats,
  PartitionOutputStats,
  PartitionProcessorState,
  PartitionProcessorStats,
  ProcessingGuarantee,
  ProcessorCommitStats,
  ProcessorOptions,
  ProcessorState,
  ProcessorStats,
  ProcessorStatsOptions,
  ProduceRetryOptions,
  TransactionStats,
  VisitOptions,
} from './processor/index.js';
export type { ContextWriteOptions, ProcessContext } from './context/process-context.js';
export type { ContextTypes, GroupContext, TableValueOf } from './context/group-context.js';
