import type { ModuleMetadata, Type } from '@nestjs/common';
import type { GokaMonitorMetricsRegistry } from './monitor-metrics-registry.interface.js';

/**
 * A named action of the monitor's actions page (`POST {base}/api/actions/:name/start`).
 *
 * @publicApi
 */
export interface GokaMonitorAction {
  /** Unique among the actions (visitor actions are named `group.visitor`). */
  readonly name: string;
  /** One line shown next to the action. @default '' */
  readonly description?: string;
  /**
   * Does the work. `value` is the text the user entered (`undefined` when none); `signal` aborts
   * when the user stops the action or the application shuts down. What it resolves with is shown
   * as the action's result.
   */
  run(value: string | undefined, signal: AbortSignal): unknown;
}

/**
 * Prometheus metrics of the monitor (`prom-client`).
 *
 * @publicApi
 */
export interface GokaMonitorMetricsOptions {
  /** Whether to collect metrics at all (then `prom-client` must be installed). @default true */
  readonly enabled?: boolean;
  /**
   * The route, under the monitor's path, serving the registry in Prometheus' text format;
   * `false` when the app serves its registry itself (e.g. with `@willsoto/nestjs-prometheus`).
   * @default 'metrics'
   */
  readonly path?: string | false;
  /** The registry the metrics are registered on. @default prom-client's global `register` */
  readonly registry?: GokaMonitorMetricsRegistry;
  /** Prefix of every metric name. @default 'goka_' */
  readonly prefix?: string;
}

/**
 * Options of `GokaMonitorModule.forRoot`.
 *
 * @publicApi
 */
export interface GokaMonitorModuleOptions {
  /** Where the monitor is mounted (pages, `api/`, `metrics`), relative to the app's global prefix. @default 'goka' */
  readonly path?: string;
  /** The title of the pages. @default 'Goka monitor' */
  readonly title?: string;
  /** How often processors and views are sampled, ms (pages refresh at this pace). @default 2000 */
  readonly intervalMs?: number;
  /** Samples kept per processor and view for the charts. @default 150 */
  readonly historySize?: number;
  /**
   * A partition with lag that made no progress for this long is shown as `stalled`, ms.
   * @default 15 × intervalMs (30 s with the default interval)
   */
  readonly stalledAfterMs?: number;
  /**
   * How old the high-water marks of the consumed topics may get before a sample asks Kafka for them
   * again, ms (lag and offsets move at every sample, the marks at this pace), so a monitor does not
   * query Kafka at every `intervalMs`.
   * @default 10000 (or `intervalMs` when larger)
   */
  readonly hwmRefreshMs?: number;
  /** Prometheus metrics. @default { enabled: true, path: 'metrics', registry: global register, prefix: 'goka_' } */
  readonly metrics?: GokaMonitorMetricsOptions;
  /** The app's own actions, next to one action per processor visitor. @default [] */
  readonly actions?: readonly GokaMonitorAction[];
}

/**
 * Options of `GokaMonitorModule.forRootAsync`. The routes are fixed when the module is declared,
 * so `path` and `metricsPath` are given here; the rest comes from the factory.
 *
 * @publicApi
 */
export interface GokaMonitorModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /** See {@link GokaMonitorModuleOptions.path}. @default 'goka' */
  readonly path?: string;
  /** See {@link GokaMonitorMetricsOptions.path} (the factory's `metrics.path` is ignored). @default 'metrics' */
  readonly metricsPath?: string | false;
  /** Returns the options (their `path` and `metrics.path` are ignored). */
  readonly useFactory: (...args: never[]) => GokaMonitorModuleOptions | Promise<GokaMonitorModuleOptions>;
  /** Providers passed to `useFactory`. @default [] */
  readonly inject?: ReadonlyArray<string | symbol | Type<unknown>>;
}
