import { applyDecorators, Injectable, SetMetadata } from '@nestjs/common';
import { GOKA_PROCESSOR_METADATA } from '../goka.constants.js';
import type { GokaProcessorOptions } from '../interfaces/goka-component-options.interface.js';
import type { GokaProcessorMetadata } from '../interfaces/goka-metadata.interface.js';

/**
 * `@Processor` options in one object.
 *
 * @publicApi
 */
export interface ProcessorDecoratorOptions extends GokaProcessorOptions {
  /** The group: consumer group id and prefix of the group's table and loop topics. */
  readonly group: string;
}

/**
 * Makes a class the processor of `group` (Goka's `DefineGroup` + `NewProcessor`): `GokaModule`
 * discovers it, builds the group graph from its `@Input`, `@Loop`, `@Visitor` methods and its
 * `@Persist`, `@Join`, `@Lookup`, `@Output` decorations, and runs it from application bootstrap to
 * shutdown. Implies `@Injectable()`; list the class in a module's `providers`. Must stay a
 * singleton (no request or transient scope).
 *
 * @example
 * ```ts
 * @Processor('clicks')
 * @Persist(codecs.int64)
 * export class ClicksProcessor {
 *   @Input('clicks', codecs.string)
 *   count(_click: string, ctx: ProcessContext<number>): void {
 *     ctx.setValue((ctx.value() ?? 0) + 1);
 *   }
 * }
 * ```
 * @publicApi
 */
export function Processor(group: string): ClassDecorator;
/** @publicApi */
export function Processor(group: string, options: GokaProcessorOptions): ClassDecorator;
/** @publicApi */
export function Processor(options: ProcessorDecoratorOptions): ClassDecorator;
export function Processor(
  groupOrOptions: string | ProcessorDecoratorOptions,
  options: GokaProcessorOptions = {},
): ClassDecorator {
  const metadata: GokaProcessorMetadata =
    typeof groupOrOptions === 'string'
      ? { group: groupOrOptions, options: Object.freeze({ ...options }) }
      : (({ group, ...rest }) => ({ group, options: Object.freeze(rest) }))(groupOrOptions);
  return applyDecorators(SetMetadata(GOKA_PROCESSOR_METADATA, Object.freeze(metadata)), Injectable());
}
