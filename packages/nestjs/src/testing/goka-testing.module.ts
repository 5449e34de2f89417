import { createTester } from '@goka/tester';
import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { GokaModule } from '../goka.module.js';
import { GOKA_TESTER_INSTANCE, GOKA_TESTER_OPTIONS } from './goka-testing.constants.js';
import type { GokaTestingModuleOptions } from './goka-testing-module-options.interface.js';
import { GokaTester } from './goka-tester.js';

/**
 * Runs the application's `@Processor` classes, registered views and emitters on `@goka/tester`
 * (its in-memory Kafka) instead of a broker. Import it in `Test.createTestingModule` **in place of**
 * `GokaModule.forRoot(...)`, next to the processors, controllers and `GokaModule.registerView` /
 * `registerEmitter` modules under test, and inject {@link GokaTester} to consume messages and read
 * tables and outputs. Global enhancers, `@UseInterceptors` and the like apply to handlers as in the
 * application. Each `forRoot` call makes a new tester (one per testing module).
 *
 * @example
 * ```ts
 * const moduleRef = await Test.createTestingModule({
 *   imports: [GokaTestingModule.forRoot({ partitions: 2 }), GokaModule.registerView({ group: 'clicks', codec: codecs.int64 })],
 *   providers: [ClicksProcessor],
 *   controllers: [ClicksController],
 * }).compile();
 * const app = await moduleRef.createNestApplication().init();
 * await app.get(GokaTester).consume('clicks', 'alice', 'click');
 * ```
 * @publicApi
 */
@Module({})
export class GokaTestingModule {
  static forRoot(options: GokaTestingModuleOptions = {}): DynamicModule {
    const { partitions, readyTimeoutMs: _readyTimeoutMs, ...moduleOptions } = options;
    const tester = createTester({ partitions: partitions ?? 1 });
    return {
      module: GokaTestingModule,
      global: true,
      imports: [
        GokaModule.forRoot({
          logger: false,
          ...moduleOptions,
          processorDefaults: { initialOffset: 'oldest', commitIntervalMs: 1, ...moduleOptions.processorDefaults },
          kafka: tester.kafka,
          manualRegistration: true,
        }),
      ],
      providers: [
        { provide: GOKA_TESTER_INSTANCE, useValue: tester },
        { provide: GOKA_TESTER_OPTIONS, useValue: Object.freeze({ ...options }) },
        GokaTester,
      ],
      exports: [GokaTester, GOKA_TESTER_INSTANCE],
    };
  }
}
