import { Inject, Injectable } from '@nestjs/common';
import type {
  BeforeApplicationShutdown,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { Subscription } from 'rxjs';
import { GOKA_MODULE_EXTRAS } from './goka.constants.js';
import { GokaExplorer } from './goka.explorer.js';
import {
  componentFailed,
  emitterFinishFailed,
  errorMessage,
  processorStarting,
  shutdownTimedOut,
  shuttingDown,
  started,
  viewRestarting,
  viewStarting,
} from './goka.messages.js';
import { GokaRegistrar } from './goka.registrar.js';
import { GokaRegistry } from './goka.registry.js';
import { GokaCallbackFactory } from './goka-callback.factory.js';
import { GokaComponentFactory } from './goka-component.factory.js';
import type { GokaRun, GokaRunOutcome } from './goka-run.class.js';
import { createGroupGraphs, inputTopicOptions } from './group-graph.factory.js';
import type { GokaModuleExtras } from './interfaces/goka-module-options.interface.js';
import type { GokaTransportTarget } from './interfaces/goka-transport-host.interface.js';

function isTransportTarget(target: unknown): target is GokaTransportTarget {
  return typeof target === 'object' && target !== null && typeof Reflect.get(target, 'attachGokaHost') === 'function';
}

/**
 * Owns every side effect of `GokaModule`'s lifecycle:
 * - `onModuleInit`: discovers the `@Processor` classes, builds and validates their group graphs
 *   (a definition error fails the startup) and creates the processors;
 * - `onApplicationBootstrap`: starts processors and views (their run loops are kept, not awaited;
 *   a view of a local processor's table starts once that processor created its topics), and waits
 *   for recovery when `waitForRecovery` is set;
 * - `beforeApplicationShutdown`: stops processors (in-flight messages finish and are committed),
 *   then views, then flushes emitters, all within `shutdownTimeoutMs`;
 * - `onApplicationShutdown`: reports what did not stop in time.
 *
 * A `GokaTransport` given as microservice `strategy` (an RPC target of the application) is handed
 * `start` and `stop`, so the microservice's `listen` and `close` run and stop the processors.
 *
 * A run that fails is logged with its error and shows in `GokaRegistry.status()` and readiness;
 * it does not crash the application. A view with `autoReconnect` (the default) is started again
 * after a backoff, until shutdown.
 *
 * It alone starts and stops components; the module's internal registrar only stores them and their
 * runs (which `GokaRegistry` reports) and never calls back here. With `manualRegistration: true`,
 * inject it and call {@link start} (like `@nestjs/bullmq`'s `BullRegistrar.register()`).
 *
 * @publicApi
 */
@Injectable()
export class GokaOrchestrator implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  #starting: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;
  #transports: Subscription | undefined;

  constructor(
    private readonly explorer: GokaExplorer,
    private readonly factory: GokaComponentFactory,
    private readonly registry: GokaRegistry,
    private readonly registrar: GokaRegistrar,
    private readonly callbacks: GokaCallbackFactory,
    @Inject(GOKA_MODULE_EXTRAS) private readonly extras: GokaModuleExtras,
    private readonly modules: ModulesContainer,
  ) {}

  onModuleInit(): void {
    const blueprints = createGroupGraphs(this.explorer.explore(), this.factory.naming, this.callbacks.create);
    for (const { definition, graph } of blueprints) {
      this.registrar.addProcessor(this.factory.createProcessor(graph, definition.options, inputTopicOptions(definition)), definition.className);
    }
    this.#transports = this.modules.getRpcTargetRegistry<unknown>().subscribe((target) => {
      if (!isTransportTarget(target)) return;
      target.attachGokaHost({ registry: this.registry, start: () => this.start(), stop: () => this.stop() });
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.extras.manualRegistration !== true) await this.start();
  }

  /**
   * Starts every processor and view (on application bootstrap, or when called with
   * `manualRegistration: true`); waits for recovery when the module asks to. Idempotent.
   */
  start(): Promise<void> {
    this.#starting ??= this.#start();
    return this.#starting;
  }

  /**
   * Stops processors (in-flight messages finish and commit), then views, then flushes emitters,
   * within `shutdownTimeoutMs`. Idempotent; application shutdown calls it.
   */
  async stop(): Promise<void> {
    this.#transports?.unsubscribe();
    this.#stopping ??= this.#stop();
    await this.#stopping;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  async #start(): Promise<void> {
    const logger = this.factory.logger;
    const processors = this.registry.getProcessors();
    for (const processor of processors) {
      const run = this.registrar.processorRun(processor.group);
      if (run === undefined) continue;
      logger.debug?.(processorStarting(processor.group));
      run.start(
        (signal) => processor.run(signal),
        (outcome) => this.#settled(`processor "${processor.group}"`, outcome, undefined),
      );
    }
    const views = this.registrar.viewRuns();
    for (const [table, run] of views) {
      const owner = processors.find((processor) => processor.graph.groupTable() !== undefined && processor.graph.tableTopic === table);
      const start = (): void => {
        if (this.#stopping !== undefined) return;
        logger.debug?.(viewStarting(table));
        const view = this.registry.getView(table);
        run.start(
          (signal) => view.run(signal),
          (outcome, restartInMs) =>
            this.#settled(`view of "${table}"`, outcome, restartInMs === undefined ? undefined : { inMs: restartInMs, count: run.restarts + 1 }),
        );
      };
      // The table topic of a local processor exists once that processor has set itself up.
      if (owner === undefined) start();
      else void owner.states.waitForMin('setup').then(start);
    }
    logger.log(started(processors.length, views.size));
    const wait = this.factory.waitForRecovery;
    if (wait !== undefined) await this.registry.waitForReady(wait);
  }

  /** Logs how a run ended (and when it restarts, if it does); the registry watches the run itself. */
  #settled(what: string, outcome: GokaRunOutcome, restart: { inMs: number; count: number } | undefined): void {
    if (!outcome.ok && this.#stopping === undefined) {
      const { error } = outcome;
      const head = restart === undefined ? componentFailed(what) : viewRestarting(what, restart.inMs, restart.count);
      this.factory.logger.error(`${head}: ${errorMessage(error)}`, error instanceof Error ? error.stack : undefined);
    } else if (!outcome.ok) {
      this.factory.logger.warn(`${what} ended with an error while stopping: ${errorMessage(outcome.error)}`);
    }
  }

  async #stop(): Promise<void> {
    const { logger, shutdownTimeoutMs } = this.factory;
    const deadline = Date.now() + shutdownTimeoutMs;
    const processorRuns = this.registry
      .getProcessors()
      .flatMap((processor) => {
        const run = this.registrar.processorRun(processor.group);
        return run === undefined ? [] : [[`processor "${processor.group}"`, run] as const];
      });
    const viewRuns = [...this.registrar.viewRuns()].map(([table, run]) => [`view of "${table}"`, run] as const);
    const emitters = this.registry.getEmitters();
    logger.log(shuttingDown(processorRuns.length, viewRuns.length, emitters.length));

    // Processors first: their callbacks may read views and emit through emitters.
    await this.#abortAndWait(processorRuns, deadline);
    await this.#abortAndWait(viewRuns, deadline);
    const flushes = emitters.map(
      (emitter) =>
        [
          `emitter of "${emitter.topic}"`,
          emitter.finish().catch((error: unknown) => {
            logger.warn(`${emitterFinishFailed(emitter.topic)}: ${errorMessage(error)}`);
          }),
        ] as const,
    );
    await this.#waitUntil(flushes, deadline);
  }

  async #abortAndWait(runs: ReadonlyArray<readonly [string, GokaRun]>, deadline: number): Promise<void> {
    for (const [, run] of runs) run.abort();
    await this.#waitUntil(
      runs.map(([what, run]) => [what, run.settled()] as const),
      deadline,
    );
  }

  /** Waits for every promise until `deadline`; logs what is still pending then. */
  async #waitUntil(pending: ReadonlyArray<readonly [string, Promise<void>]>, deadline: number): Promise<void> {
    const open = new Set(pending.map(([what]) => what));
    const all = Promise.all(pending.map(([what, promise]) => promise.then(() => open.delete(what))));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
    });
    const result = await Promise.race([all, timeout]);
    clearTimeout(timer);
    if (result === 'timeout' && open.size > 0) {
      this.factory.logger.warn(shutdownTimedOut(this.factory.shutdownTimeoutMs, [...open]));
    }
  }
}
