import { KafkaAdapterMissingError } from '../errors/kafka-error.js';
import type { GokaLogger } from '../util/logger.js';
import type { KafkaBrokerOptions } from './broker-options.js';
import type { KafkaAdapter } from './kafka-adapter.js';

/**
 * The package of the default Kafka adapter, loaded when a component is given `brokers` and no `kafka`.
 * It is an optional peer dependency of `@goka/core`: core never imports it statically, so an
 * application that passes `kafka` (e.g. `new MemoryKafka()`) loads neither it nor kafkajs.
 */
export const DEFAULT_ADAPTER_PACKAGE = '@goka/kafkajs';

/** Settings the default adapter's constructor takes: the broker options, the brokers, a logger. */
export type DefaultAdapterOptions = KafkaBrokerOptions & { readonly brokers: readonly string[]; readonly logger: GokaLogger };

/** What the default adapter's package exports that core uses. */
interface DefaultAdapterModule {
  readonly KafkajsAdapter: new (options: DefaultAdapterOptions) => KafkaAdapter;
}

/** Loads a module by specifier; a test passes one that fails. */
export type ModuleLoader = (specifier: string) => Promise<unknown>;

/** Node's dynamic import. The specifier is a variable so that TypeScript does not resolve the package at build time. */
const importModule: ModuleLoader = (specifier) => import(specifier);

/** Whether `error` says that `specifier` itself could not be found (not a module it imports). */
function isNotFound(error: unknown, specifier: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const notFound = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
  return notFound && typeof message === 'string' && message.includes(`'${specifier}'`);
}

/**
 * A new default adapter (`new KafkajsAdapter({ ...options, brokers, logger })` of {@link DEFAULT_ADAPTER_PACKAGE})
 * for `component`.
 * @throws KafkaAdapterMissingError (rejects) when the package is not installed or fails to load
 */
export async function createDefaultAdapter(
  options: DefaultAdapterOptions,
  component: string,
  load: ModuleLoader = importModule,
): Promise<KafkaAdapter> {
  const specifier = DEFAULT_ADAPTER_PACKAGE;
  let loaded: unknown;
  try {
    loaded = await load(specifier);
  } catch (error) {
    throw new KafkaAdapterMissingError(component, specifier, { cause: error, notInstalled: isNotFound(error, specifier) });
  }
  const { KafkajsAdapter } = (loaded ?? {}) as Partial<DefaultAdapterModule>;
  if (typeof KafkajsAdapter !== 'function') {
    const cause = new TypeError(`${specifier} does not export a KafkajsAdapter class`);
    throw new KafkaAdapterMissingError(component, specifier, { cause, notInstalled: false });
  }
  return new KafkajsAdapter(options);
}
