import type { Codec, ConsumeOptions } from '@goka/core';
import type { GokaInputTopicOptions, GokaProcessorOptions } from './goka-component-options.interface.js';

/**
 * What `@Processor` records on a class.
 *
 * @publicApi
 */
export interface GokaProcessorMetadata {
  readonly group: string;
  readonly options: GokaProcessorOptions;
}

/**
 * What `@Persist`, `@Join`, `@Lookup` and `@Output` record on a class (one entry per decorator).
 *
 * @publicApi
 */
export type GokaEdgeMetadata =
  | { readonly kind: 'persist'; readonly codec: Codec<unknown> }
  | { readonly kind: 'join'; readonly topic: string; readonly codec: Codec<unknown> }
  | { readonly kind: 'lookup'; readonly topic: string; readonly codec: Codec<unknown> }
  | { readonly kind: 'output'; readonly topic: string; readonly codec: Codec<unknown> };

/**
 * Options of `@Input`: the error policy of its topics (`onError`, over the processor's) and how
 * their creation is refined (`create`, see `GokaTopicsOptions`).
 *
 * @publicApi
 */
export interface GokaInputOptions extends ConsumeOptions {
  readonly create?: GokaInputTopicOptions;
}

/**
 * What `@Input`, `@Loop` and `@Visitor` record on a method (one entry per decorator).
 *
 * @publicApi
 */
export type GokaHandlerMetadata =
  | { readonly kind: 'input'; readonly topics: readonly string[]; readonly codec: Codec<unknown>; readonly options?: GokaInputOptions }
  | { readonly kind: 'loop'; readonly codec: Codec<unknown>; readonly options?: ConsumeOptions }
  | { readonly kind: 'visitor'; readonly name: string };
