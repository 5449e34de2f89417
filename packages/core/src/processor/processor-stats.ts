import type { ProcessorState } from './processor-state.js';

/** Traffic of one partition of a processor since it was assigned. */
export interface PartitionProcessorStats {
  readonly partition: number;
  /** Per input topic (and the loop): messages, value bytes, last offset consumed. */
  readonly input: Readonly<Record<string, { count: number; bytes: number; lastOffset: number }>>;
  /** Per written topic (outputs, loop, table): records and value bytes acknowledged. */
  readonly output: Readonly<Record<string, { count: number; bytes: number }>>;
}

/** What {@link Processor.stats} reports. */
export interface ProcessorStats {
  readonly group: string;
  readonly state: ProcessorState;
  readonly partitions: readonly PartitionProcessorStats[];
}
