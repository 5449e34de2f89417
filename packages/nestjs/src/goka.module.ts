import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { GokaConfigurableModuleClass } from './goka.module-definition.js';
import {
  createEmitterAsyncProviders,
  createEmitterProviders,
  createViewAsyncProviders,
  createViewProviders,
  viewName,
} from './goka.providers.js';
import { getEmitterToken, getViewToken } from './goka.tokens.js';
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
