import { Injectable } from '@nestjs/common';
import type { Codec, Emitter, Processor, View } from '@goka/core';
import { emitterCodecConflict, viewCodecConflict } from './goka.messages.js';
import { GokaRun } from './goka-run.class.js';
import type { GokaRestartPolicy } from './goka-run.class.js';
import { GokaOptionsError } from './errors/goka-options.error.js';

/** A registered processor with its run. */
export interface GokaProcessorEntry {
  readonly processor: Processor<unknown>;
  /** The `@Processor` class, for messages. */
  readonly className: string;
  readonly run: GokaRun;
}

/** A registered view with its run. */
export interface GokaViewEntry {
  readonly view: View<unknown>;
  readonly codec: Codec<unknown>;
  readonly run: GokaRun;
}

/** A registered emitter. */
export interface GokaEmitterEntry {
  readonly emitter: Emitter<unknown>;
  readonly codec: Codec<unknown>;
}

/**
 * Registers the components `GokaModule` creates and keeps the run of each processor and view, for
 * `GokaOrchestrator` to drive and `GokaRegistry` to report. Not exported from the package: this
 * keeps registration and runs off the public `GokaRegistry`.
 */
@Injectable()
export class GokaRegistrar {
  readonly #processors = new Map<string, GokaProcessorEntry>();
  readonly #views = new Map<string, GokaViewEntry>();
  /** View names (group or table) → table. */
  readonly #viewNames = new Map<string, string>();
  readonly #emitters = new Map<string, GokaEmitterEntry>();
  readonly #listeners = new Set<() => void>();

  /** Processors by group, in discovery order. */
  get processors(): ReadonlyMap<string, GokaProcessorEntry> {
    return this.#processors;
  }

  /** Views by table, in registration order. */
  get views(): ReadonlyMap<string, GokaViewEntry> {
    return this.#views;
  }

  /** The tables of view names (a table, or the group whose table it is). */
  get viewNames(): ReadonlyMap<string, string> {
    return this.#viewNames;
  }

  /** Emitters by topic, in registration order. */
  get emitters(): ReadonlyMap<string, GokaEmitterEntry> {
    return this.#emitters;
  }

  /** Calls `listener` whenever a processor or view changes state or one of their runs settles; returns its removal. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Registers the processor of a discovered `@Processor` class. */
  addProcessor(processor: Processor<unknown>, className: string): GokaRun {
    const run = new GokaRun();
    this.#processors.set(processor.group, { processor, className, run });
    processor.states.observe(() => this.#changed());
    run.watch(() => this.#changed());
    return run;
  }

  /** The run of a processor. */
  processorRun(group: string): GokaRun | undefined {
    return this.#processors.get(group)?.run;
  }

  /**
   * Registers (or reuses) the view of `table` under `name`; `create` is called only for a table
   * without view, whose run then restarts after failures by `restart` (if given). A second
   * registration with another codec is an error.
   */
  addView<V>(name: string, table: string, codec: Codec<V>, create: () => View<V>, restart?: GokaRestartPolicy): View<V> {
    const existing = this.#views.get(table);
    if (existing !== undefined && !sameCodec(existing.codec, codec)) throw new GokaOptionsError(viewCodecConflict(table));
    this.#viewNames.set(name, table);
    this.#viewNames.set(table, table);
    if (existing !== undefined) return existing.view as View<V>;
    const view = create();
    const run = new GokaRun(restart);
    this.#views.set(table, { view: view as View<unknown>, codec: codec as Codec<unknown>, run });
    view.onStateChange(() => this.#changed());
    run.watch(() => this.#changed());
    return view;
  }

  /** The runs of every view, by table. */
  viewRuns(): ReadonlyMap<string, GokaRun> {
    return new Map([...this.#views].map(([table, entry]) => [table, entry.run]));
  }

  /** Registers (or reuses) the emitter of `topic`. */
  addEmitter<V>(topic: string, codec: Codec<V>, create: () => Emitter<V>): Emitter<V> {
    const existing = this.#emitters.get(topic);
    if (existing !== undefined) {
      if (!sameCodec(existing.codec, codec)) throw new GokaOptionsError(emitterCodecConflict(topic));
      return existing.emitter as Emitter<V>;
    }
    const emitter = create();
    this.#emitters.set(topic, { emitter: emitter as Emitter<unknown>, codec: codec as Codec<unknown> });
    return emitter;
  }

  /** A processor or view changed state, or one of their runs settled: listeners re-check. */
  #changed(): void {
    // A listener may remove itself while this loop runs, which Set iteration allows.
    for (const listener of this.#listeners) listener();
  }
}

/** Codecs count as the same when identical or of the same name (`codecs.json()` makes a new one per call). */
function sameCodec(a: Codec<unknown>, b: Codec<unknown>): boolean {
  return a === b || (a.name !== undefined && a.name === b.name);
}
