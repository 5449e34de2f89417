import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { GokaRegistry } from '../../goka.registry.js';
import type { GokaProcessorInfo } from '../../interfaces/goka-component-info.interface.js';
import { errorMessage } from '../../goka.messages.js';
import { GOKA_MONITOR_OPTIONS } from '../monitor.constants.js';
import { sampleFailed } from '../monitor.messages.js';
import type { ResolvedMonitorOptions } from '../monitor-options.util.js';
import { ProcessorTracker } from '../trackers/processor-tracker.class.js';
import { ViewTracker } from '../trackers/view-tracker.class.js';

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
  #running: Promise<boolean> | undefined;
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

  /**
   * Resolves once a first sample exists (taking it now if none was taken yet). Never rejects; a
   * sample that failed as a whole is not kept, so the next call samples again.
   */
  ready(): Promise<void> {
    this.#sampledOnce ??= this.sample().then((complete) => {
      if (!complete) this.#sampledOnce = undefined;
    });
    return this.#sampledOnce;
  }

  /**
   * Samples every processor and view now (or joins the sample being taken) and resolves when done,
   * with whether the sample got past listing the components. Never rejects: a failure is logged
   * (per processor or view where it can be told apart) and the previous sample stays.
   */
  sample(): Promise<boolean> {
    this.#running ??= this.#sample()
      .then(
        () => true,
        (error: unknown) => {
          this.#logger.warn(sampleFailed('the monitor', errorMessage(error)));
          return false;
        },
      )
      .finally(() => {
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
    const processors = this.registry.describeProcessors();
    const views = this.registry.describeViews();
    // Each processor's time is taken when its own stats arrived: a slow high-water-mark request of
    // one processor must not stretch the others' intervals (rates use the monotonic clock).
    await Promise.all(
      processors.map(async ({ group, processor }) => {
        try {
          const stats = await processor.stats({ maxHighWatermarkAgeMs: this.options.hwmRefreshMs });
          if (this.#stopped) return;
          this.#processorTracker(group, processor).update(Date.now(), stats, performance.now());
        } catch (error) {
          this.#logger.warn(sampleFailed(`processor '${group}'`, errorMessage(error)));
        }
      }),
    );
    if (this.#stopped) return;
    for (const { table, view } of views) {
      try {
        const stats = view.stats();
        let tracker = this.#views.get(table);
        if (tracker === undefined) {
          tracker = new ViewTracker(this.options.historySize, this.options.stalledAfterMs);
          this.#views.set(table, tracker);
        }
        tracker.update(Date.now(), stats, performance.now());
      } catch (error) {
        this.#logger.warn(sampleFailed(`view '${table}'`, errorMessage(error)));
      }
    }
  }

  #processorTracker(group: string, processor: GokaProcessorInfo['processor']): ProcessorTracker {
    let tracker = this.#processors.get(group);
    if (tracker === undefined) {
      const { graph } = processor;
      const loop = graph.loopStream()?.topic;
      const outputs = [...graph.outputStreams().map((edge) => edge.topic), ...(loop === undefined ? [] : [loop])];
      tracker = new ProcessorTracker(
        { table: graph.groupTable()?.topic, outputs },
        this.options.historySize,
        this.options.stalledAfterMs,
      );
      this.#processors.set(group, tracker);
    }
    return tracker;
  }
}
