/**
 * What the monitor needs of a Prometheus registry: a prom-client `Registry` (or prom-client's
 * global `register`) fits it. Declared here so that the monitor's public types do not need
 * prom-client, an optional peer dependency.
 *
 * @publicApi
 */
export interface GokaMonitorMetricsRegistry {
  /** The metric of that name, `undefined` when none. */
  getSingleMetric(name: string): unknown;
  /** Adds a metric (a prom-client `Gauge` or `Counter`). */
  registerMetric(metric: object): void;
  removeSingleMetric(name: string): void;
  /** Every metric in the text format of `contentType`. */
  metrics(): Promise<string>;
  readonly contentType: string;
}
