import { Inject, Injectable } from '@nestjs/common';
import type { TransactionStats } from '@goka/core';
import type { GokaComponentStatus } from '../../interfaces/goka-status.interface.js';
import type { GokaProcessorInfo, GokaViewInfo } from '../../interfaces/goka-component-info.interface.js';
import { GokaRegistry } from '../../goka.registry.js';
import { GOKA_MONITOR_OPTIONS, GOKA_MONITOR_ROUTES } from '../monitor.constants.js';
import { processorNotFound, viewNotFound } from '../monitor.messages.js';
import type { MonitorRoutes, ResolvedMonitorOptions } from '../monitor-options.util.js';
import { codecName, graphEdges, visitorNames } from './monitor-describe.util.js';
import { lookupPhase } from './monitor-derive.util.js';
import { GokaMonitorSampler } from './monitor-sampler.service.js';
import { MonitorNotFoundError } from '../errors/monitor-not-found.error.js';
import type { ViewTracker } from '../trackers/view-tracker.class.js';
import type {
  MonitorOverview,
  MonitorPhase,
  MonitorProcessorDetail,
  MonitorProcessorSummary,
  MonitorViewDetail,
  MonitorViewSummary,
} from '../interfaces/monitor-api.interface.js';

const UNKNOWN: GokaComponentStatus = { phase: 'created', state: 'idle' };

/**
 * Builds the monitor's JSON documents (overview, processor and view details) from the registry
 * and the sampler's latest samples.
 *
 * @publicApi
 */
@Injectable()
export class GokaMonitorService {
  constructor(
    private readonly registry: GokaRegistry,
    private readonly sampler: GokaMonitorSampler,
    @Inject(GOKA_MONITOR_OPTIONS) private readonly options: ResolvedMonitorOptions,
    @Inject(GOKA_MONITOR_ROUTES) private readonly routes: MonitorRoutes,
  ) {}

  /** The mount path as configured (leading slash, no trailing one; without the app's global prefix). */
  get basePath(): string {
    return `/${this.routes.path}`.replace(/\/$/, '') || '';
  }

  /** `GET {base}/api/overview`; `basePath` is the path the request reached the monitor under. */
  async overview(basePath: string = this.basePath): Promise<MonitorOverview> {
    await this.sampler.ready();
    const status = this.registry.status();
    return {
      title: this.options.title,
      basePath,
      intervalMs: this.options.intervalMs,
      ready: status.ready,
      processors: this.registry.describeProcessors().map((info) => this.#processorSummary(info, status.processors[info.group])),
      views: this.registry.describeViews().map((info) => this.#viewSummary(info, status.views[info.table])),
      metrics: this.options.metrics.enabled && this.routes.metricsPath !== false,
    };
  }

  /**
   * `GET {base}/api/processors/:group`.
   * @throws MonitorNotFoundError when there is no processor of `group`
   */
  async processor(group: string): Promise<MonitorProcessorDetail> {
    await this.sampler.ready();
    const processors = this.registry.describeProcessors();
    const info = processors.find((candidate) => candidate.group === group);
    if (info === undefined) throw new MonitorNotFoundError(processorNotFound(group, processors.map((candidate) => candidate.group)));
    const status = this.registry.status().processors[group];
    const summary = this.#processorSummary(info, status);
    const tracker = this.sampler.processor(group);
    const latest = tracker?.latest;
    const lookupCodecs = new Map(info.processor.graph.lookupTables().map((edge) => [edge.topic, codecName(edge.codec)]));
    // A lookup view's phase comes from its own state; the processor's error is not its error.
    const lookups = [...(tracker?.lookups ?? new Map<string, ViewTracker>())].map(([table, lookup]) =>
      this.#viewDetail(table, lookupCodecs.get(table) ?? 'none', lookupPhase(lookup.latest?.stats.state, summary.phase), lookup, undefined),
    );
    return {
      ...summary,
      sampledAt: latest?.t ?? 0,
      intervalMs: this.options.intervalMs,
      partitionList: latest?.partitions ?? [],
      inputs: latest?.inputs ?? [],
      outputs: latest?.outputs ?? [],
      lookups,
      callbackErrors: latest?.stats.callbackErrors ?? 0,
      errorPolicy: { ...(latest?.stats.errorPolicy ?? { retried: 0, skipped: 0, deadLettered: 0 }) },
      commitLatencyMs: latest?.commitLatencyMs,
      guarantee: latest?.stats.guarantee ?? 'at-least-once',
      ...transactionsOf(latest?.stats.transactions),
      series: tracker?.series ?? [],
    };
  }

  /**
   * `GET {base}/api/views/:table`.
   * @throws MonitorNotFoundError when no view of `table` is registered
   */
  async view(table: string): Promise<MonitorViewDetail> {
    await this.sampler.ready();
    const views = this.registry.describeViews();
    const info = views.find((candidate) => candidate.table === table);
    if (info === undefined) throw new MonitorNotFoundError(viewNotFound(table, views.map((candidate) => candidate.table)));
    const status = this.registry.status().views[table] ?? UNKNOWN;
    const tracker = this.sampler.view(table);
    return this.#viewDetail(table, codecName(info.codec), status.phase, tracker, status.error, status.state);
  }

  #processorSummary(info: GokaProcessorInfo, status: GokaComponentStatus | undefined): MonitorProcessorSummary {
    const { phase, state, error } = status ?? UNKNOWN;
    return {
      group: info.group,
      className: info.className,
      phase: phase satisfies MonitorPhase,
      state,
      ...(error === undefined ? {} : { error }),
      edges: graphEdges(info.processor.graph),
      partitions: this.sampler.processor(info.group)?.latest?.counts ?? {},
      visitors: visitorNames(info.processor.graph),
    };
  }

  #viewSummary(info: GokaViewInfo, status: GokaComponentStatus | undefined): MonitorViewSummary {
    const { phase, state, error } = status ?? UNKNOWN;
    return {
      table: info.table,
      codec: codecName(info.codec),
      phase,
      state,
      ...(error === undefined ? {} : { error }),
      partitions: this.sampler.view(info.table)?.latest?.counts ?? {},
    };
  }

  #viewDetail(
    table: string,
    codec: string,
    phase: MonitorPhase,
    tracker: ViewTracker | undefined,
    error: string | undefined,
    state?: string,
  ): MonitorViewDetail {
    const latest = tracker?.latest;
    return {
      table,
      codec,
      phase,
      state: state ?? latest?.stats.state ?? 'idle',
      ...(error === undefined ? {} : { error }),
      partitions: latest?.counts ?? {},
      sampledAt: latest?.t ?? 0,
      intervalMs: this.options.intervalMs,
      partitionList: latest?.partitions ?? [],
      series: tracker?.series ?? [],
    };
  }
}

/** The monitor's view of a processor's transactions (none for an at-least-once processor). */
function transactionsOf(stats: TransactionStats | undefined): Pick<MonitorProcessorDetail, 'transactions'> {
  if (stats === undefined) return {};
  const { committed, aborted, totalCommitMs, lastAbortReason } = stats;
  return { transactions: { committed, aborted, meanCommitMs: committed === 0 ? undefined : totalCommitMs / committed, lastAbortReason } };
}
