import type { MemoryKafka } from '@goka/core';
import type { FailureLog } from './failure-log.js';

/** The kind of a topic the tester creates: tables are compacted. */
export type TopicKind = 'stream' | 'table';

/** What the tester shares with the instances it creates (internal). */
export interface TesterHost {
  readonly kafka: MemoryKafka;
  /** Where failures of runs after their start go, to be reported by the next wait. */
  readonly failures: FailureLog;
  /** Waits until everything is idle, then rejects with a pending failure if there is one. */
  settle(): Promise<void>;
}

/**
 * A processor instance or view registered with the tester, as the idleness check sees it.
 */
export interface TesterComponent {
  /**
   * `undefined` when the component is stable (running, or not running at all); else a promise
   * that settles when it leaves its passing state (starting, rebalancing, stopping, recovering).
   */
  transition(): Promise<void> | undefined;
  /** Stops the component for good (without waiting for idleness). */
  shutdown(): Promise<void>;
}
