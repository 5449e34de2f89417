export { Processor } from './processor.js';
export type { NilHandling, ProcessingGuarantee, ProcessorOptions, ProduceRetryOptions, VisitOptions } from './processor-options.js';
export type { TransactionStats } from './transaction-committer.js';
export { PROCESSOR_STATES } from './processor-state.js';
export type { ProcessorState } from './processor-state.js';
export type { PartitionProcessorState } from './processor-stats.js';
export { DEAD_LETTER_HEADERS } from './dead-letter-record.js';
export type { ErrorPolicyStats, PartitionInputStats, PartitionOutputStats, PartitionProcessorStats, ProcessorCommitStats, ProcessorStats, ProcessorStatsOptions } from './processor-stats.js';
