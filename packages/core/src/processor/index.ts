export { Processor } from './processor.js';
export type { NilHandling, ProcessorOptions } from './processor-options.js';
export { PROCESSOR_STATES } from './processor-state.js';
export type { ProcessorState } from './processor-state.js';
export type { PartitionProcessorStats, ProcessorStats } from './processor-stats.js';
