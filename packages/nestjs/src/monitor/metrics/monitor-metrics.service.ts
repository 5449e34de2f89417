import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { GokaMonitorMetricsRegistry } from '../interfaces/monitor-metrics-registry.interface.js';
import { GokaRegistry } from '../../goka.registry.js';
import { errorMessage } from '../../goka.messages.js';
import { GokaOptionsError } from '../../errors/goka-options.error.js';
import { GOKA_MONITOR_OPTIONS } from '../monitor.constants.js';
import { metricRegistered, metricsDisabled, metricsUnavailable } from '../monitor.messages.js';
import type { ResolvedMonitorOptions } from '../monitor-options.util.js';
import { METRIC_DEFINITIONS } from './monitor-metric-definitions.js';
import type { MetricLabels, MetricSource } from './monitor-metric-definitions.js';
import { GokaMonitorSampler } from '../services/monitor-sampler.service.js';
import { MonitorNotFoundError } from '../errors/monitor-not-found.error.js';

/**
 * Registers the monitor's Prometheus metrics (prom-client) on the configured registry (default:
 * prom-client's global `register`, the app's registry for `@willsoto/nestjs-prometheus` users).
 * Values are read from the sampler's latest sample on scrape, so a scrape never waits for Kafka.
 * The metrics are removed from the registry on shutdown.
 *
 * @publicApi
 */
@Injectable()
export class GokaMonitorMetrics implements OnModuleInit, OnApplicationShutdown {
  #registry: GokaMonitorMetricsRegistry | undefined;
  readonly #names: string[] = [];

  constructor(
    private readonly registry: GokaRegistry,
    private readonly sampler: GokaMonitorSampler,
    @Inject(GOKA_MONITOR_OPTIONS) private readonly options: ResolvedMonitorOptions,
  ) {}

  /** The registry the metrics are on, `undefined` when metrics are disabled. */
  get promRegistry(): GokaMonitorMetricsRegistry | undefined {
    return this.#registry;
  }

  async onModuleInit(): Promise<void> {
    const { enabled, registry, prefix } = this.options.metrics;
    if (!enabled) return;
    let client: typeof import('prom-client');
    try {
      client = await import('prom-client');
    } catch (error) {
      throw new GokaOptionsError(metricsUnavailable(errorMessage(error)), { cause: error });
    }
    const target = registry ?? client.register;
    const source = (): MetricSource => ({
      processors: this.sampler.processors,
      views: this.sampler.views,
      status: this.registry.status(),
    });
    for (const definition of METRIC_DEFINITIONS) {
      const name = `${prefix}${definition.name}`;
      if (target.getSingleMetric(name) !== undefined) {
        this.#unregister(target);
        throw new GokaOptionsError(metricRegistered(name));
      }
      const labelNames = [...definition.labels];
      const collect = (reset: () => void, emit: (labels: MetricLabels, value: number) => void): void => {
        reset();
        definition.collect(source(), emit);
      };
      const metric =
        definition.kind === 'gauge'
          ? new client.Gauge({
              name,
              help: definition.help,
              labelNames,
              registers: [],
              collect() {
                collect(() => this.reset(), (labels, value) => this.set(labels, value));
              },
            })
          : new client.Counter({
              name,
              help: definition.help,
              labelNames,
              registers: [],
              collect() {
                collect(() => this.reset(), (labels, value) => this.inc(labels, value));
              },
            });
      target.registerMetric(metric);
      this.#names.push(name);
    }
    this.#registry = target;
  }

  onApplicationShutdown(): void {
    if (this.#registry !== undefined) this.#unregister(this.#registry);
    this.#registry = undefined;
  }

  /**
   * The registry in Prometheus' text format (every metric on it, not only Goka's).
   * @throws MonitorNotFoundError when metrics are disabled
   */
  async scrape(): Promise<{ contentType: string; body: string }> {
    const registry = this.#registry;
    if (registry === undefined) throw new MonitorNotFoundError(metricsDisabled());
    await this.sampler.ready();
    return { contentType: registry.contentType, body: await registry.metrics() };
  }

  #unregister(registry: GokaMonitorMetricsRegistry): void {
    for (const name of this.#names.splice(0)) registry.removeSingleMetric(name);
  }
}
