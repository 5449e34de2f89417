import { View, silentLogger } from '@goka/core';
import type { Codec, KafkaConnectionOptions, ViewOptions } from '@goka/core';
import { LocalDisk } from './local-disk.js';
import { RunRecord } from './run-record.js';
import type { TesterComponent, TesterHost } from './tester-host.js';

const noop = (): void => {};

/**
 * @publicApi Options of {@link Tester.view}: the view's own options without Kafka connection and
 * storage (the tester supplies its in-memory Kafka and a local disk per view).
 */
export interface TesterViewOptions extends Omit<ViewOptions, keyof KafkaConnectionOptions | 'storage'> {
  /**
   * Run the view at once and wait until it is running. With `false` the view is only created and
   * registered: call `view.run()` yourself (the tester then waits for it, as Goka's does). @default true
   */
  readonly start?: boolean;
}

/** A view registered with the tester: the tester waits for it to be running and reports its failures. */
export class TesterViewEntry<V> implements TesterComponent {
  readonly view: View<V>;
  #run: RunRecord | undefined;

  constructor(
    private readonly host: TesterHost,
    table: string,
    codec: Codec<V>,
    name: string,
    options: TesterViewOptions,
  ) {
    const { start: _start, ...viewOptions } = options;
    this.view = new View(table, codec, {
      logger: silentLogger,
      ...viewOptions,
      kafka: host.kafka,
      storage: new LocalDisk().factory,
      clientId: name,
    });
  }

  /** Runs the view; resolves once it is running. @throws the error that ended the run while starting */
  async start(): Promise<void> {
    let starting = true;
    let startupFailure: { error: unknown } | undefined;
    const run = new RunRecord(this.view.run(), {
      onFailure: (error) => {
        if (starting) startupFailure = { error };
        else this.host.failures.report(error);
      },
      crashing: () => false,
    });
    this.#run = run;
    await Promise.race([this.view.waitRunning().then(noop, () => run.settled), run.settled]);
    starting = false;
    if (startupFailure !== undefined) throw startupFailure.error;
  }

  transition(): Promise<void> | undefined {
    const state = this.view.state;
    if (state === 'running' || state === 'idle') return undefined;
    return this.view.waitRunning().then(noop, noop);
  }

  async shutdown(): Promise<void> {
    await this.view.stop();
    await this.#run?.settled;
  }
}
