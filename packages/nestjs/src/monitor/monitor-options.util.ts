import type { GokaMonitorMetricsRegistry } from './interfaces/monitor-metrics-registry.interface.js';
import { GokaOptionsError } from '../errors/goka-options.error.js';
import {
  DEFAULT_METRICS_PATH,
  DEFAULT_METRICS_PREFIX,
  DEFAULT_HWM_REFRESH_MS,
  DEFAULT_MONITOR_HISTORY_SIZE,
  DEFAULT_MONITOR_INTERVAL_MS,
  DEFAULT_MONITOR_PATH,
  DEFAULT_MONITOR_TITLE,
  DEFAULT_STALLED_INTERVALS,
} from './monitor.constants.js';
import { invalidMonitorOption } from './monitor.messages.js';
import type { GokaMonitorAction, GokaMonitorModuleOptions } from './interfaces/monitor-options.interface.js';

/** The routes of one monitor, fixed when the module is declared. */
export interface MonitorRoutes {
  /** Without leading or trailing slash (`goka`, `admin/goka`, or `''` for the root). */
  readonly path: string;
  /** Under `path`; `false`: not served. */
  readonly metricsPath: string | false;
}

/** `GokaMonitorModuleOptions` with every default applied. */
export interface ResolvedMonitorOptions {
  readonly title: string;
  readonly intervalMs: number;
  readonly historySize: number;
  readonly stalledAfterMs: number;
  readonly hwmRefreshMs: number;
  readonly metrics: {
    readonly enabled: boolean;
    /** `undefined`: prom-client's global `register`. */
    readonly registry: GokaMonitorMetricsRegistry | undefined;
    readonly prefix: string;
  };
  readonly actions: readonly GokaMonitorAction[];
}

/** `/a/b/` → `a/b`. */
export function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

/** The routes of `forRoot` options, or of `forRootAsync`'s `path` and `metricsPath`. */
export function monitorRoutes(path: string | undefined, metricsPath: string | false | undefined): MonitorRoutes {
  if (path !== undefined && typeof path !== 'string') throw new GokaOptionsError(invalidMonitorOption('path', 'a string', path));
  if (metricsPath !== undefined && metricsPath !== false && (typeof metricsPath !== 'string' || trimSlashes(metricsPath) === '')) {
    throw new GokaOptionsError(invalidMonitorOption('metrics.path', 'a non-empty string or false', metricsPath));
  }
  return {
    path: trimSlashes(path ?? DEFAULT_MONITOR_PATH),
    metricsPath: metricsPath === false ? false : trimSlashes(metricsPath ?? DEFAULT_METRICS_PATH),
  };
}

/** Applies the defaults and validates; never mutates `options`. */
export function resolveMonitorOptions(options: GokaMonitorModuleOptions): ResolvedMonitorOptions {
  const intervalMs = options.intervalMs ?? DEFAULT_MONITOR_INTERVAL_MS;
  positiveInteger('intervalMs', intervalMs);
  const historySize = options.historySize ?? DEFAULT_MONITOR_HISTORY_SIZE;
  positiveInteger('historySize', historySize);
  const stalledAfterMs = options.stalledAfterMs ?? DEFAULT_STALLED_INTERVALS * intervalMs;
  positiveInteger('stalledAfterMs', stalledAfterMs);
  const hwmRefreshMs = options.hwmRefreshMs ?? Math.max(intervalMs, DEFAULT_HWM_REFRESH_MS);
  positiveInteger('hwmRefreshMs', hwmRefreshMs);
  const prefix = options.metrics?.prefix ?? DEFAULT_METRICS_PREFIX;
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$|^$/.test(prefix)) {
    throw new GokaOptionsError(invalidMonitorOption('metrics.prefix', 'a Prometheus name prefix ([a-zA-Z_:][a-zA-Z0-9_:]*)', prefix));
  }
  const actions = options.actions ?? [];
  for (const action of actions) {
    if (typeof action.name !== 'string' || action.name === '' || typeof action.run !== 'function') {
      throw new GokaOptionsError(invalidMonitorOption('actions', 'a list of { name, run(value, signal) }', action.name));
    }
  }
  return Object.freeze({
    title: options.title ?? DEFAULT_MONITOR_TITLE,
    intervalMs,
    historySize,
    stalledAfterMs,
    hwmRefreshMs,
    metrics: Object.freeze({ enabled: options.metrics?.enabled ?? true, registry: options.metrics?.registry, prefix }),
    actions: Object.freeze([...actions]),
  });
}

function positiveInteger(option: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new GokaOptionsError(invalidMonitorOption(option, 'a positive integer', value));
  }
}
