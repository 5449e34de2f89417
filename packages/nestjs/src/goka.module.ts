import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { GokaConfigurableModuleClass } from './goka.module-definition.js';
import {
  createEmitterAsyncProviders,
  createProcessorProviders,
  featureGroups,
  createEmitterProviders,
  createViewAsyncProviders,
  createViewProviders,
  viewName,
} from './goka.providers.js';
import { getEmitterToken, getProcessorToken, getViewToken } from './goka.tokens.js';
import type { GokaFeatureOptions } from './interfaces/goka-feature-options.interface.js';
import type {
  RegisterEmitterAsyncOptions,
  RegisterEmitterOptions,
} from './interfaces/register-emitter-options.interface.js';
import type { RegisterViewAsyncOptions, RegisterViewOptions } from './interfaces/register-view-options.interface.js';

/**
 * Goka for NestJS. `GokaModule.forRoot(options)` (or `forRootAsync`) connects the application to
 * Kafka once: every provider decorated with `@Processor` is discovered and run from application
 * bootstrap to shutdown. `registerView` and `registerEmitter` add injectable views and emitters.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [
 *     GokaModule.forRoot({ brokers: ['127.0.0.1:9092'] }),
 *     GokaModule.registerView({ group: 'clicks', codec: codecs.int64 }),
 *     GokaModule.registerEmitter({ topic: 'clicks', codec: codecs.string }),
 *   ],
 *   providers: [ClicksProcessor],
 *   controllers: [ClicksController],
 * })
 * export class AppModule {}
 * ```
 * @publicApi
 */
@Module({})
export class GokaModule extends GokaConfigurableModuleClass {
  /**
   * Declares `@Processor` classes of a feature module and provides the `Processor` of each group,
   * injectable with `@InjectProcessor(group)`. The classes are ordinary providers (discovered like
   * any other `@Processor`; list them here instead of in `providers`, not in both). `groups`
   * provides the handles of processors declared elsewhere.
   *
   * The `Processor` of a group is created when the module initializes (after Nest resolved
   * constructor dependencies), so the injected value is a handle that forwards to it: use it from
   * `onApplicationBootstrap` on (in handlers, controllers, ...); a getter read earlier throws a
   * `ComponentNotFoundError`. Needs `GokaModule.forRoot` with `isGlobal: true` (the default).
   *
   * @example
   * ```ts
   * @Module({ imports: [GokaModule.forFeature({ processors: [ClicksProcessor] })], controllers: [StatsController] })
   * export class ClicksModule {}
   * // StatsController: constructor(@InjectProcessor('clicks') private readonly clicks: Processor<number>) {}
   * ```
   */
  static forFeature(options: GokaFeatureOptions): DynamicModule {
    return {
      module: GokaModule,
      providers: createProcessorProviders(options),
      exports: [...(options.processors ?? []), ...featureGroups(options).map(getProcessorToken)],
    };
  }

  /**
   * Provides the `View` of a table (`{ table }`) or of a group's table (`{ group }`), injectable
   * with `@InjectView(table | group)`. The view starts on application bootstrap. Needs
   * `GokaModule.forRoot` with `isGlobal: true` (the default).
   */
  static registerView<V>(options: RegisterViewOptions<V>): DynamicModule {
    return {
      module: GokaModule,
      providers: createViewProviders(options),
      exports: [getViewToken(viewName(options))],
    };
  }

  /** {@link registerView} with codec and options from a factory. */
  static registerViewAsync<V>(options: RegisterViewAsyncOptions<V>): DynamicModule {
    return {
      module: GokaModule,
      imports: options.imports ?? [],
      providers: createViewAsyncProviders(options),
      exports: [getViewToken(viewName(options))],
    };
  }

  /**
   * Provides the `Emitter` of `topic`, injectable with `@InjectEmitter(topic)`. It connects on the
   * first emit and is flushed at shutdown. Needs `GokaModule.forRoot` with `isGlobal: true` (the
   * default).
   */
  static registerEmitter<V>(options: RegisterEmitterOptions<V>): DynamicModule {
    return {
      module: GokaModule,
      providers: createEmitterProviders(options),
      exports: [getEmitterToken(options.topic)],
    };
  }

  /** {@link registerEmitter} with codec and options from a factory. */
  static registerEmitterAsync<V>(options: RegisterEmitterAsyncOptions<V>): DynamicModule {
    return {
      module: GokaModule,
      imports: options.imports ?? [],
      providers: createEmitterAsyncProviders(options),
      exports: [getEmitterToken(options.topic)],
    };
  }
}
