import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { GokaRegistry } from '../goka.registry.js';
import { errorMessage } from '../goka.messages.js';
import { GOKA_MONITOR_OPTIONS } from './monitor.constants.js';
import { sampleFailed } from './monitor.messages.js';
import type { ResolvedMonitorOptions } from './monitor-options.util.js';
import { ProcessorTracker } from './processor-tracker.class.js';
import { ViewTracker } from './view-tracker.class.js';

/**
 * Samples every processor's and view's stats each `intervalMs` while the application runs and
 * keeps `historySize` samples of each, from which the monitor's documents and metrics are built
 * (so a request or a scrape never waits for Kafka, except before the first sample).
 *
 * @publicApi
 */
@Injectable()
export class GokaMonitorSampler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly #logger = new Logger('GokaMonitor');
  readonly #processors = new Map<string, ProcessorTracker>();
  readonly #views = new Map<string, ViewTracker>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #sampledOnce: Promise<void> | undefined;
  #stopped = false;

  constructor(
    private readonly registry: GokaRegistry,
    @Inject(GOKA_MONITOR_OPTIONS) private readonly options: ResolvedMonitorOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.#stopped = false;
    this.#timer = setInterval(() => void this.sample(), this.options.intervalMs);
    this.#timer.unref();
    void this.ready();
  }

  beforeApplicationShutdown(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Resolves once a first sample exists (taking it now if none was taken yet). */
  ready(): Promise<void> {
    this.#sampledOnce ??= this.sample();
    return this.#sampledOnce;
  }

  /**
   * Samples every processor and view now (or joins the sample being taken) and resolves when done.
   * Never rejects: a failure is logged and the previous sample stays.
   */
  sample(): Promise<void> {
    this.#running ??= this.#sample().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** The tracker of the processor of `group`, `undefined` before its first sample. */
  processor(group: string): ProcessorTracker | undefined {
    return this.#processors.get(group);
  }

  /** The tracker of the view of `table`, `undefined` before its first sample. */
  view(table: string): ViewTracker | undefined {
    return this.#views.get(table);
  }

  /** Every processor tracker, by group. */
  get processors(): ReadonlyMap<string, ProcessorTracker> {
    return this.#processors;
  }

  /** Every view tracker, by table. */
  get views(): ReadonlyMap<string, ViewTracker> {
    return this.#views;
  }

  async #sample(): Promise<void> {
    const { historySize, stalledAfterMs } = this.options;
    const processors = this.registry.describeProcessors();
    const views = this.registry.describeViews();
    const results = await Promise.allSettled(processors.map(({ processor }) => processor.stats()));
    const t = Date.now();
    if (this.#stopped) return;
    processors.forEach(({ group, processor }, index) => {
      const result = results[index];
      if (result === undefined) return;
      if (result.status === 'rejected') {
        this.#logger.warn(sampleFailed(`processor '${group}'`, errorMessage(result.reason)));
        return;
      }
      let tracker = this.#processors.get(group);
      if (tracker === undefined) {
        const { graph } = processor;
        const loop = graph.loopStream()?.topic;
        const outputs = [...graph.outputStreams().map((edge) => edge.topic), ...(loop === undefined ? [] : [loop])];
        tracker = new ProcessorTracker({ table: graph.groupTable()?.topic, outputs }, historySize, stalledAfterMs);
        this.#processors.set(group, tracker);
      }
      tracker.update(t, result.value);
    });
    for (const { table, view } of views) {
      try {
        let tracker = this.#views.get(table);
        if (tracker === undefined) {
          tracker = new ViewTracker(historySize, stalledAfterMs);
          this.#views.set(table, tracker);
        }
        tracker.update(t, view.stats());
      } catch (error) {
        this.#logger.warn(sampleFailed(`view '${table}'`, errorMessage(error)));
      }
    }
  }
}
