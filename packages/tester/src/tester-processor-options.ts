import type { KafkaConnectionOptions, ProcessorOptions } from '@goka/core';

/**
 * @publicApi Options of {@link Tester.processor}: the processor's own options, without the Kafka
 * connection and storage (the tester supplies its in-memory Kafka and one local disk per instance).
 * Different defaults than a production processor: `initialOffset: 'oldest'` (as Goka's tester, every
 * record written before the start is processed), `commitIntervalMs: 1` (commits follow the work
 * closely; see {@link Tester.waitForCommits}) and `logger: silentLogger`.
 */
export interface TesterProcessorOptions extends Omit<ProcessorOptions, keyof KafkaConnectionOptions | 'storage'> {
  /** Start the instance at once (and wait until it is ready and idle). @default true */
  readonly start?: boolean;
}

/** @publicApi Options of {@link TesterProcessor.restart}. */
export interface RestartOptions {
  /**
   * Keep the instance's local storage (its disk): recovery reads only what was written to the table
   * since. `false` starts from an empty disk and recovers everything from Kafka. @default true
   */
  readonly keepStorage?: boolean;
}

/** Commit interval of tester processors unless given. */
export const TESTER_COMMIT_INTERVAL_MS = 1;
