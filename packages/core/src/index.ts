/**
 * @goka/core — Goka's stream processing engine for TypeScript (framework-free).
 * Explicit list of what an application uses, grouped by Goka concept. Two more audiences have their
 * own entry points: adapter authors `@goka/core/kafka` (the Kafka port), storage authors
 * `@goka/core/storage` (the storage contract, its checks and its conformance suite).
 * The API report (`packages/core/api/*.api.txt`, `pnpm api:update`) lists every exported name.
 */

// errors
export {
  BatchDecompressionError,
  CodecBindError,
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
  CodecBindFailure,
  CodecErrorContext,
  CodecErrorInit,
  CodecOperation,
  DeliveryTimeoutDetails,
  GokaErrorCode,
  GokaErrorCodes,
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
export type { Codec, CodecBindContext, Codecs, CodecServices, CodecValue } from './codec/index.js';
export { bindCodec, bindCodecs } from './graph/bind-codecs.js';

// partitioner: the default hasher (FNV-1a, as Goka) and the partition of a key
export { fnv1a32, partitionFor } from './partitioner/index.js';
export type { Hasher } from './partitioner/index.js';

// storage of tables: the factory option; storage authors import `@goka/core/storage`
export { memoryStorageFactory } from './storage/index.js';
export type { MemoryStorageOptions, Storage, StorageFactory } from './storage/index.js';

// kafka: the connection options, the in-memory cluster; adapter authors import `@goka/core/kafka`
export { COMPRESSION_TYPES, MemberCrashedError, MemoryKafka } from './kafka/index.js';
export type {
  AppendListener,
  Assignment,
  CompressionType,
  Headers,
  IsolationLevel,
  KafkaAdapter,
  KafkaBrokerOptions,
  KafkaConnectionOptions,
  KafkaMessage,
  KafkaRetryOptions,
  KafkaSaslOptions,
  KafkaSocketFactory,
  KafkaSocketFactoryArgs,
  MemoryKafkaOptions,
  MemoryTopicOptions,
  ProduceFault,
  ProducedOffset,
} from './kafka/index.js';

// logging
export { silentLogger, streamLogger } from './util/logger.js';
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

// table: what the stats and the update callback show of a partition's table
export type {
  PartitionState,
  PartitionTableStats,
  RecoveryStats,
  RecoveryStatus,
  UpdateCallback,
  UpdateContext,
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
export { SimpleBackoff } from './util/backoff.js';
export type { BackoffOptions } from './util/backoff.js';
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
