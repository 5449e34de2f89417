import type { Codec, TopicCreateSpec } from '@goka/core';
import type { FactoryProvider, ModuleMetadata } from '@nestjs/common';
import type { GokaEmitterOptions } from './goka-component-options.interface.js';

/**
 * What an emitter encodes and how it batches (the part `registerEmitterAsync` computes).
 *
 * @publicApi
 */
export interface GokaEmitterConfig<V = unknown> {
  /** Encodes the values emitted. */
  readonly codec: Codec<V>;
  /** This emitter's settings, over the module's `emitterDefaults`. @default {} */
  readonly options?: GokaEmitterOptions;
  /**
   * Create the topic when it is missing, as the emitter connects: `true` with the module's `topics`
   * settings, an object over them (`config` merged), `false` never.
   * @default the module's `topics.create`
   */
  readonly create?: boolean | TopicCreateSpec;
}

/**
 * Options of `GokaModule.registerEmitter`. `topic` is the one `@InjectEmitter(topic)` takes; it
 * must exist unless it is created (`create`, or the module's `topics: { create: true }`).
 *
 * @publicApi
 */
export interface RegisterEmitterOptions<V = unknown> extends GokaEmitterConfig<V> {
  readonly topic: string;
}

/**
 * Options of `GokaModule.registerEmitterAsync`: the topic is named up front (it names the injection
 * token), codec and options come from a factory.
 *
 * @publicApi
 */
export interface RegisterEmitterAsyncOptions<V = unknown> extends Pick<ModuleMetadata, 'imports'> {
  readonly topic: string;
  /** Returns codec and options; may inject providers listed in `inject`. */
  readonly useFactory: (...args: never[]) => GokaEmitterConfig<V> | Promise<GokaEmitterConfig<V>>;
  /** Providers passed to `useFactory`. @default [] */
  readonly inject?: FactoryProvider['inject'];
}
