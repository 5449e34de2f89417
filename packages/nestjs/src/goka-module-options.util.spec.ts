import { MemoryKafka } from '@goka/core';
import type { KafkaBrokerOptions } from '@goka/core';
import type { KafkajsAdapterOptions } from '@goka/kafkajs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { adapterOptions, GOKA_MODULE_OPTION_ROUTES } from './goka-module-options.util.js';
import type { GokaAdapterOptionKey, GokaModuleOptionRoutes } from './goka-module-options.util.js';
import type { GokaModuleOptions } from './interfaces/goka-module-options.interface.js';

/**
 * Compile-time checks (tsc type-checks this file; a `@ts-expect-error` line that compiles fails
 * the build): every module option has a route, and only broker options reach the adapter.
 */
describe('GokaModule option routes', () => {
  it('route every option, and refuse an option without a route or a module option sent to the adapter', () => {
    expectTypeOf<keyof typeof GOKA_MODULE_OPTION_ROUTES>().toEqualTypeOf<keyof GokaModuleOptions>();
    // An option added to GokaModuleOptions without a route: the table no longer type-checks.
    type WithNewOption = GokaModuleOptions & { readonly newOption?: number };
    // @ts-expect-error `newOption` has no route
    const missing: { readonly [K in keyof WithNewOption]-?: 'adapter' | 'module' } = GOKA_MODULE_OPTION_ROUTES;
    void missing;
    // @ts-expect-error `storage` is not a broker option: it cannot go to the adapter
    const misrouted: GokaModuleOptionRoutes = { ...GOKA_MODULE_OPTION_ROUTES, storage: 'adapter' };
    void misrouted;
  });

  it('send every broker option to the adapter, and nothing else', () => {
    expectTypeOf<GokaAdapterOptionKey>().toEqualTypeOf<keyof KafkaBrokerOptions>();
    expectTypeOf<Pick<GokaModuleOptions, GokaAdapterOptionKey>>().toExtend<Partial<KafkajsAdapterOptions>>();
  });

  it('picks the set adapter options of module options, dropping module options and unknown keys', () => {
    const socketFactory: NonNullable<KafkaBrokerOptions['socketFactory']> = () => {
      throw new Error('not called');
    };
    const options = {
      brokers: ['127.0.0.1:9092'],
      clientId: 'shop',
      sasl: { mechanism: 'plain', username: 'u', password: 'p' },
      acks: 1,
      idempotent: false,
      socketFactory,
      requestTimeout: undefined,
      kafka: new MemoryKafka(),
      logger: false,
      tableSuffix: '-state',
      processorDefaults: { commitIntervalMs: 5 },
      waitForRecovery: true,
      shutdownTimeoutMs: 10,
      unknown: 'dropped',
    } satisfies GokaModuleOptions & { unknown: string };
    expect(adapterOptions(options)).toStrictEqual({
      brokers: ['127.0.0.1:9092'],
      clientId: 'shop',
      sasl: { mechanism: 'plain', username: 'u', password: 'p' },
      acks: 1,
      idempotent: false,
      socketFactory,
    });
  });
});
