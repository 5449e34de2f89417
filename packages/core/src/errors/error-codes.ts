/**
 * The `code` of every error @goka/core throws (`error.code`, like Node's `ERR_*`): stable strings to
 * switch on, each listed with its class and what to do in the README's errors table (a test keeps the
 * two in step). A code names one class, or a plain `GokaError` where no class adds fields.
 */
export const CORE_ERROR_CODES = [
  // codecs and compression
  'GOKA_CODEC',
  'GOKA_CODEC_BIND',
  'GOKA_BATCH_DECOMPRESSION',
  'GOKA_COMPRESSION_UNAVAILABLE',
  // group graphs
  'GOKA_GRAPH_INVALID',
  // Kafka: connection, topics, partitions, producing
  'GOKA_KAFKA_BROKERS',
  'GOKA_KAFKA_ADAPTER_MISSING',
  'GOKA_KAFKA_ADAPTER_OPTIONS',
  'GOKA_KAFKA_ADAPTER_CONTRACT',
  'GOKA_KAFKA_CONNECTION',
  'GOKA_KAFKA_CONNECT_TIMEOUT',
  'GOKA_KAFKA_AUTHENTICATION',
  'GOKA_KAFKA_TLS',
  'GOKA_KAFKA_REQUEST',
  'GOKA_TOPIC_NOT_FOUND',
  'GOKA_PARTITION_NOT_FOUND',
  'GOKA_PARTITION_READ',
  'GOKA_PRODUCE_FAILED',
  'GOKA_PRODUCER_SEQUENCE',
  'GOKA_PRODUCER_FENCED',
  'GOKA_TRANSACTIONS_UNSUPPORTED',
  'GOKA_TRANSACTION_STATE',
  'GOKA_TRANSACTION_FAILED',
  // topic manager
  'GOKA_TOPIC_PARTITION_GAP',
  'GOKA_TOPIC_NOT_COPARTITIONED',
  'GOKA_TOPIC_NOT_CREATED',
  'GOKA_TOPIC_MISMATCH',
  'GOKA_TOPIC_CREATION_OPTIONS',
  // consumer groups
  'GOKA_REBALANCE',
  'GOKA_CLAIMS_NOT_COPARTITIONED',
  'GOKA_COMMIT_FAILED',
  'GOKA_GROUP_REQUEST',
  'GOKA_MEMBER_CRASHED',
  'GOKA_MEMBER_NOT_FOUND',
  // processors and contexts
  'GOKA_PROCESSOR',
  'GOKA_CONTEXT',
  'GOKA_PROCESSING',
  'GOKA_VISIT_ABORTED',
  // emitters
  'GOKA_EMITTER_CLOSED',
  'GOKA_EMITTER_OPTIONS',
  'GOKA_EMITTER_KEY',
  'GOKA_DELIVERY_TIMEOUT',
  // storage, tables and views
  'GOKA_STORAGE',
  'GOKA_STORAGE_LOCKED',
  'GOKA_STORAGE_CLOSED',
  'GOKA_STORAGE_RESERVED_KEY',
  'GOKA_TABLE',
  'GOKA_TABLE_DECODE',
  'GOKA_TABLE_GONE',
  'GOKA_VIEW',
  'GOKA_VIEW_NOT_RUNNING',
] as const;

/**
 * The codes, as keys: `@goka/nestjs` and `@goka/tester` add theirs by declaration merging, so
 * {@link GokaErrorCode} is every code of the packages a program loads, and a `GokaError` cannot be
 * constructed with a code no package declares.
 */
export interface GokaErrorCodes extends Record<(typeof CORE_ERROR_CODES)[number], true> {}

/** The code of a {@link GokaError}: `'GOKA_CODEC'`, `'GOKA_STORAGE_LOCKED'`, ... (see the README's errors table). */
export type GokaErrorCode = keyof GokaErrorCodes;
