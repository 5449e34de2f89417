import { bindCodec, bindCodecs } from '@goka/core';
import type { Codec } from '@goka/core';
import type { ConsumeOptions, QueueTracker, Tester } from '@goka/tester';
import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { GokaOrchestrator } from '../goka.orchestrator.js';
import { GokaRegistrar } from '../goka.registrar.js';
import { GokaRegistry } from '../goka.registry.js';
import { GokaComponentFactory } from '../goka-component.factory.js';
import { GOKA_TESTER_INSTANCE, GOKA_TESTER_OPTIONS } from './goka-testing.constants.js';
import type { GokaTestingModuleOptions } from './goka-testing-module-options.interface.js';

/**
 * The handle a test injects (`moduleRef.get(GokaTester)`) to drive the application's decorated
 * processors, which `GokaTestingModule` runs on a `@goka/tester` `Tester` (its in-memory Kafka):
 * {@link consume} writes a message and resolves once every processor and view is idle again (loops
 * and chains included), or rejects with the error of a processor that failed meanwhile;
 * {@link tableValue}, {@link tableKeys} and {@link tracker} read what they wrote. The underlying
 * `Tester` is {@link tester}.
 *
 * At application bootstrap (`app.init()` or `moduleRef.init()`), the topics and codecs of every
 * processor, view and emitter of the application are registered with the tester (topics created
 * with the module's `partitions`), then the processors and views are started and awaited.
 *
 * @publicApi
 */
@Injectable()
export class GokaTester implements OnApplicationBootstrap, OnApplicationShutdown {
  #started: Promise<void> | undefined;

  constructor(
    @Inject(GOKA_TESTER_INSTANCE) readonly tester: Tester,
    private readonly registry: GokaRegistry,
    private readonly registrar: GokaRegistrar,
    private readonly orchestrator: GokaOrchestrator,
    private readonly factory: GokaComponentFactory,
    @Inject(GOKA_TESTER_OPTIONS) private readonly options: GokaTestingModuleOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  /** Stops recording topics (the processors and views were stopped by `GokaModule` before). */
  async onApplicationShutdown(): Promise<void> {
    await this.tester.stop();
  }

  /** Registers the application's topics with the tester, starts its processors and views and waits until they are ready. */
  start(): Promise<void> {
    this.#started ??= this.#start();
    return this.#started;
  }

  /**
   * Writes `value` under `key` to `topic` (encoded with the topic's codec; `null` is a tombstone) and
   * resolves once every processor and view is idle.
   * @throws (rejects) the error of a processor that failed meanwhile, e.g. a handler's
   */
  async consume<V>(topic: string, key: string, value: V | null, options?: ConsumeOptions<V>): Promise<void> {
    await this.start();
    await this.tester.consume(topic, key, value, options);
    this.#throwIfFailed();
  }

  /** Resolves once every processor and view is idle; rejects with the error of a processor that failed. */
  async catchup(): Promise<void> {
    await this.start();
    await this.tester.catchup();
    this.#throwIfFailed();
  }

  /** The value of `key` in `table` (e.g. `tableName('clicks')`, `clicks-table`), `undefined` when absent or deleted. */
  tableValue<V = unknown>(table: string, key: string): V | undefined {
    return this.tester.tableValue<V>(table, key);
  }

  /** The keys of `table` that have a value, in byte order. */
  tableKeys(table: string): string[] {
    return this.tester.tableKeys(table);
  }

  /** Follows the records written to `topic` from now on (e.g. a processor's `@Output`), decoded with its codec. */
  tracker<V = unknown>(topic: string, codec?: Codec<V>): QueueTracker<V> {
    return this.tester.tracker<V>(topic, codec);
  }

  /** Resolves once every processor of the application has committed all it processed. */
  async waitForCommits(): Promise<void> {
    await this.catchup();
    await Promise.all(this.registry.getProcessors().map((processor) => this.tester.kafka.group(processor.group).whenCommitted()));
  }

  async #start(): Promise<void> {
    // The tester encodes and decodes with the codecs the components use: bound ones (`Codec.bind`,
    // e.g. schema codecs created without a registry), the same instances, as bindings are shared.
    const codecServices = this.factory.codecServices;
    for (const processor of this.registry.getProcessors()) this.tester.registerGraph(await bindCodecs(processor.graph, codecServices));
    for (const { table, codec } of this.registry.describeViews()) this.tester.registerTopic(table, await bindCodec(codec, { topic: table, codecServices }), 'table');
    for (const { topic, codec } of this.registry.describeEmitters()) this.tester.registerTopic(topic, await bindCodec(codec, { topic, codecServices }));
    await this.orchestrator.start();
    await this.registry.waitForReady({ timeoutMs: this.options.readyTimeoutMs ?? 5000 });
    await this.tester.catchup();
  }

  #throwIfFailed(): void {
    for (const processor of this.registry.getProcessors()) {
      const outcome = this.registrar.processorRun(processor.group)?.outcome;
      if (outcome !== undefined && !outcome.ok) throw outcome.error;
    }
  }
}
