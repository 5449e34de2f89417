import type { Codec, ConsumeOptions } from '@goka/core';
import type { GokaProcessorOptions } from './goka-component-options.interface.js';

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
 * What `@Input`, `@Loop` and `@Visitor` record on a method (one entry per decorator).
 *
 * @publicApi
 */
export type GokaHandlerMetadata =
  | { readonly kind: 'input'; readonly topics: readonly string[]; readonly codec: Codec<unknown>; readonly options?: ConsumeOptions }
  | { readonly kind: 'loop'; readonly codec: Codec<unknown>; readonly options?: ConsumeOptions }
  | { readonly kind: 'visitor'; readonly name: string };
