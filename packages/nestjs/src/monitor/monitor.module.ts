import { Module } from '@nestjs/common';
import type { DynamicModule, ModuleMetadata, Provider, Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { GOKA_MONITOR_OPTIONS, GOKA_MONITOR_RAW_OPTIONS, GOKA_MONITOR_ROUTES } from './monitor.constants.js';
import { monitorRoutes, resolveMonitorOptions } from './monitor-options.util.js';
import type { MonitorRoutes } from './monitor-options.util.js';
import { createMonitorApiController } from './controllers/monitor-api.controller.js';
import { createMonitorMetricsController } from './controllers/monitor-metrics.controller.js';
import { createMonitorPagesController } from './controllers/monitor-pages.controller.js';
import { GokaMonitorActions } from './services/monitor-actions.service.js';
import { GokaMonitorMetrics } from './metrics/monitor-metrics.service.js';
import { GokaMonitorQueryService } from './services/monitor-query.service.js';
import { GokaMonitorSampler } from './services/monitor-sampler.service.js';
import { GokaMonitorService } from './services/monitor.service.js';
import type { GokaMonitorModuleAsyncOptions, GokaMonitorModuleOptions } from './interfaces/monitor-options.interface.js';

/**
 * Goka's monitoring and introspection (Goka's `web/monitor`, `web/query` and `web/actions`) for a
 * Nest app: pages and JSON documents of every processor and view (group graphs, partition states,
 * recovery, lag, rates), a query page for tables and views, actions (every processor visitor, plus
 * the app's own), Prometheus metrics (`prom-client`) and a `@nestjs/terminus` health check, mounted
 * under `path` (default `goka`). Opt-in; needs `GokaModule.forRoot` (global). The app's global
 * guards, interceptors and prefix apply to its routes as to any controller.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [
 *     GokaModule.forRoot({ brokers: ['127.0.0.1:9092'] }),
 *     GokaMonitorModule.forRoot({ path: 'goka', title: 'Clicks' }),
 *   ],
 * })
 * export class AppModule {}
 * // http://localhost:3000/goka, /goka/api/overview, /goka/metrics, /goka/api/health
 * ```
 * @publicApi
 */
@Module({})
export class GokaMonitorModule {
  /** Mounts the monitor with `options`. */
  static forRoot(options: GokaMonitorModuleOptions = {}): DynamicModule {
    const routes = monitorRoutes(options.path, options.metrics?.path);
    return monitorModule(routes, { provide: GOKA_MONITOR_RAW_OPTIONS, useValue: options }, []);
  }

  /** Mounts the monitor at `path` with options from a factory (e.g. from `ConfigService`). */
  static forRootAsync(options: GokaMonitorModuleAsyncOptions): DynamicModule {
    const routes = monitorRoutes(options.path, options.metricsPath);
    const provider: Provider = {
      provide: GOKA_MONITOR_RAW_OPTIONS,
      useFactory: options.useFactory as (...args: unknown[]) => GokaMonitorModuleOptions | Promise<GokaMonitorModuleOptions>,
      inject: [...(options.inject ?? [])],
    };
    return monitorModule(routes, provider, options.imports ?? []);
  }
}

function monitorModule(routes: MonitorRoutes, options: Provider, imports: NonNullable<ModuleMetadata['imports']>): DynamicModule {
  const controllers: Type<unknown>[] = [createMonitorApiController(routes.path)];
  if (routes.metricsPath !== false) controllers.push(createMonitorMetricsController(routes.path, routes.metricsPath));
  controllers.push(createMonitorPagesController(routes.path));
  return {
    module: GokaMonitorModule,
    imports: [...imports, TerminusModule.forRoot({ logger: false })],
    controllers,
    providers: [
      options,
      { provide: GOKA_MONITOR_ROUTES, useValue: routes },
      { provide: GOKA_MONITOR_OPTIONS, useFactory: resolveMonitorOptions, inject: [GOKA_MONITOR_RAW_OPTIONS] },
      GokaMonitorSampler,
      GokaMonitorService,
      GokaMonitorQueryService,
      GokaMonitorActions,
      GokaMonitorMetrics,
    ],
    exports: [GokaMonitorService, GokaMonitorSampler, GokaMonitorQueryService, GokaMonitorActions, GokaMonitorMetrics],
  };
}
