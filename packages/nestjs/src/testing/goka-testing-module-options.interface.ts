import type { GokaModuleOptions } from '../interfaces/goka-module-options.interface.js';

/**
 * Options of `GokaTestingModule.forRoot`: those of `GokaModule.forRoot` that make sense on the
 * tester's in-memory Kafka (no `brokers`, no `kafka`: the tester's is used), plus the tester's own.
 *
 * @publicApi
 */
export interface GokaTestingModuleOptions
  extends Pick<
    GokaModuleOptions,
    | 'logger'
    | 'storage'
    | 'tableSuffix'
    | 'loopSuffix'
    | 'processorDefaults'
    | 'viewDefaults'
    | 'emitterDefaults'
    | 'shutdownTimeoutMs'
    | 'schemaRegistry'
  > {
  /**
   * Partitions of every topic the tester creates (inputs, outputs, joins, lookups, tables, emitter topics).
   * @default 1
   */
  readonly partitions?: number;
  /**
   * Milliseconds to wait at application bootstrap for every processor to be running and every view
   * recovered.
   * @default 5000
   */
  readonly readyTimeoutMs?: number;
}
