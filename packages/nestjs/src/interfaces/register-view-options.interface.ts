import type { Codec } from '@goka/core';
import type { FactoryProvider, ModuleMetadata } from '@nestjs/common';
import type { GokaViewOptions } from './goka-component-options.interface.js';

/**
 * Which table a view replicates: a table topic, or the group whose table it is (`<group>-table`,
 * with the module's `tableSuffix`). The name given is the one `@InjectView(name)` takes.
 *
 * @publicApi
 */
export type GokaViewTarget = { readonly table: string; readonly group?: never } | { readonly group: string; readonly table?: never };

/**
 * What a view decodes and how it runs (the part `registerViewAsync` computes).
 *
 * @publicApi
 */
export interface GokaViewConfig<V = unknown> {
  /** Decodes the table's values. */
  readonly codec: Codec<V>;
  /** This view's settings, over the module's `viewDefaults`. @default {} */
  readonly options?: GokaViewOptions;
}

/**
 * Options of `GokaModule.registerView`.
 *
 * @publicApi
 */
export type RegisterViewOptions<V = unknown> = GokaViewTarget & GokaViewConfig<V>;

/**
 * Options of `GokaModule.registerViewAsync`: the table is named up front (it names the injection
 * token), codec and options come from a factory.
 *
 * @publicApi
 */
export type RegisterViewAsyncOptions<V = unknown> = GokaViewTarget &
  Pick<ModuleMetadata, 'imports'> & {
    /** Returns codec and options; may inject providers listed in `inject`. */
    readonly useFactory: (...args: never[]) => GokaViewConfig<V> | Promise<GokaViewConfig<V>>;
    /** Providers passed to `useFactory`. @default [] */
    readonly inject?: FactoryProvider['inject'];
  };
