/**
 * @goka/nestjs/monitor — `GokaMonitorModule`: monitoring pages, JSON stats, query, actions,
 * Prometheus metrics and a Terminus health check (`GokaHealthIndicator` of `@goka/nestjs`). Needs `prom-client`
 * unless metrics are disabled.
 */

export { GokaMonitorModule } from './monitor.module.js';
export { GokaMonitorService } from './services/monitor.service.js';
export { GokaMonitorSampler } from './services/monitor-sampler.service.js';
export { GokaMonitorQueryService } from './services/monitor-query.service.js';
export { GokaMonitorActions } from './services/monitor-actions.service.js';
export { GokaMonitorMetrics } from './metrics/monitor-metrics.service.js';
export { GOKA_MONITOR_OPTIONS } from './monitor.constants.js';
export { MonitorBadRequestError, MonitorConflictError, MonitorNotFoundError, MonitorQueryError } from './errors/index.js';
export type {
  GokaMonitorAction,
  GokaMonitorMetricsOptions,
  GokaMonitorModuleAsyncOptions,
  GokaMonitorModuleOptions,
} from './interfaces/monitor-options.interface.js';
export type { GokaMonitorMetricsRegistry } from './interfaces/monitor-metrics-registry.interface.js';
export type { ResolvedMonitorOptions } from './monitor-options.util.js';
export type * from './interfaces/monitor-api.interface.js';
