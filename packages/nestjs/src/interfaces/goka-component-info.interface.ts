import type { Codec, Processor, View } from '@goka/core';

/**
 * A processor as the registry holds it, for tools that describe the application (the monitor).
 *
 * @publicApi
 */
export interface GokaProcessorInfo {
  readonly group: string;
  /** The `@Processor` class. */
  readonly className: string;
  readonly processor: Processor<unknown>;
}

/**
 * A view as the registry holds it, for tools that describe the application (the monitor).
 *
 * @publicApi
 */
export interface GokaViewInfo {
  /** The table topic. */
  readonly table: string;
  readonly view: View<unknown>;
  /** The codec its values are decoded with. */
  readonly codec: Codec<unknown>;
}
