import type { KafkaBrokerOptions } from '@goka/core';
import type { GokaModuleOptions } from './interfaces/goka-module-options.interface.js';

/**
 * Where an option of `GokaModule.forRoot` goes: `'adapter'`, passed as is to the `KafkajsAdapter` the
 * module creates for `brokers`; `'module'`, read by the module itself (`GokaComponentFactory` turns it
 * into component options, defaults, naming; the orchestrator into its lifecycle) and passed nowhere
 * as is. Only an option of core's `KafkaBrokerOptions` may go to the adapter.
 */
export type GokaModuleOptionRoutes = {
  readonly [K in keyof GokaModuleOptions]-?: K extends keyof KafkaBrokerOptions ? 'adapter' | 'module' : 'module';
};

/**
 * The route of every module option. Keyed by every option: an option added to `GokaModuleOptions`
 * (or to core's `KafkaBrokerOptions`, which it extends) does not compile until it is routed here.
 */
export const GOKA_MODULE_OPTION_ROUTES = {
  brokers: 'adapter',
  // Also the prefix of every component's client id (`<clientId>-processor-<group>`).
  clientId: 'adapter',
  ssl: 'adapter',
  sasl: 'adapter',
  connectionTimeout: 'adapter',
  requestTimeout: 'adapter',
  retry: 'adapter',
  fetchMaxWaitMs: 'adapter',
  fetchMaxBytesPerPartition: 'adapter',
  fetchMaxBytes: 'adapter',
  readerRetryTimeoutMs: 'adapter',
  acks: 'adapter',
  idempotent: 'adapter',
  socketFactory: 'adapter',
  kafka: 'module',
  storage: 'module',
  logger: 'module',
  tableSuffix: 'module',
  loopSuffix: 'module',
  compression: 'module',
  topics: 'module',
  processorDefaults: 'module',
  viewDefaults: 'module',
  emitterDefaults: 'module',
  waitForRecovery: 'module',
  shutdownTimeoutMs: 'module',
  // Loaded into a client by the GOKA_CODEC_SERVICES provider; components get it as `codecServices`.
  schemaRegistry: 'module',
} as const satisfies GokaModuleOptionRoutes;

type Routes = typeof GOKA_MODULE_OPTION_ROUTES;

/** The options routed to the Kafka adapter. */
export type GokaAdapterOptionKey = { [K in keyof Routes]: Routes[K] extends 'adapter' ? K : never }[keyof Routes];

const ADAPTER_OPTION_KEYS = (Object.keys(GOKA_MODULE_OPTION_ROUTES) as Array<keyof Routes>).filter(
  (key): key is GokaAdapterOptionKey => GOKA_MODULE_OPTION_ROUTES[key] === 'adapter',
);

/** The options of `options` that go to the Kafka adapter (those set); nothing else, not even unknown keys. */
export function adapterOptions(options: GokaModuleOptions): Pick<GokaModuleOptions, GokaAdapterOptionKey> {
  const picked: Partial<Record<GokaAdapterOptionKey, unknown>> = {};
  for (const key of ADAPTER_OPTION_KEYS) {
    if (options[key] !== undefined) picked[key] = options[key];
  }
  return picked as Pick<GokaModuleOptions, GokaAdapterOptionKey>;
}
