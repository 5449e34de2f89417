/**
 * @goka/nestjs/monitor — `GokaMonitorModule`: monitoring pages, JSON stats, query, actions,
 * Prometheus metrics and a Terminus health indicator. Needs `@nestjs/terminus`, and `prom-client`
 * unless metrics are disabled.
 */

export { GokaMonitorModule } from './monitor.module.js';
export { GokaMonitorService } from './monitor.service.js';
export { GokaMonitorSampler } from './monitor-sampler.service.js';
export { GokaMonitorQueryService } from './monitor-query.service.js';
export { GokaMonitorActions } from './monitor-actions.service.js';
export { GokaMonitorMetrics } from './monitor-metrics.service.js';
export { GokaMonitorHealthIndicator } from './monitor-health.indicator.js';
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
export type * from './monitor-api.interface.js';
