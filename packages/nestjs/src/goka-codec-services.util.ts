import type { CodecServices } from '@goka/core';
import { invalidOption, schemaRegistryPackageMissing } from './goka.messages.js';
import { GokaOptionsError } from './errors/goka-options.error.js';
import type { GokaModuleOptions } from './interfaces/goka-module-options.interface.js';
import type { GokaSchemaRegistryClient, GokaSchemaRegistryOptions } from './interfaces/goka-schema-registry-options.interface.js';

/** What `@goka/schema-registry` gives this module: its client class. */
export interface SchemaRegistryPackage {
  readonly SchemaRegistryClient: new (options: GokaSchemaRegistryOptions) => GokaSchemaRegistryClient;
}

const NO_SERVICES: CodecServices = Object.freeze({});

/** Loads `@goka/schema-registry` (an optional peer dependency) when `schemaRegistry` gives client options. */
const loadPackage = (): Promise<SchemaRegistryPackage> => import('@goka/schema-registry');

function isClient(value: object): value is GokaSchemaRegistryClient {
  const methods = value as Partial<Record<keyof GokaSchemaRegistryClient, unknown>>;
  return (['register', 'schemaById', 'cachedSchema', 'versions'] as const).every((name) => typeof methods[name] === 'function');
}

/**
 * The `codecServices` of every component of the module: `{ schemaRegistry }` (the given client, or
 * one of `@goka/schema-registry` made from the options, the package loaded only then) when the module's
 * `schemaRegistry` is set, else `{}`.
 * @throws GokaOptionsError for an unusable `schemaRegistry`, or client options without the package
 */
export async function resolveCodecServices(options: GokaModuleOptions, load: () => Promise<SchemaRegistryPackage> = loadPackage): Promise<CodecServices> {
  const setting = (options as GokaModuleOptions | undefined)?.schemaRegistry as unknown;
  if (setting === undefined) return NO_SERVICES;
  const requirement = 'a SchemaRegistryClient or its options { url, auth?, timeoutMs?, retries?, headers?, fetch? }';
  if (typeof setting !== 'object' || setting === null) throw new GokaOptionsError(invalidOption('schemaRegistry', requirement, setting));
  if (isClient(setting)) return Object.freeze({ schemaRegistry: setting });
  const { url } = setting as { url?: unknown };
  if (typeof url !== 'string' || url === '') throw new GokaOptionsError(invalidOption('schemaRegistry.url', 'a non-empty URL', url));
  let loaded: SchemaRegistryPackage;
  try {
    loaded = await load();
  } catch (error) {
    throw new GokaOptionsError(schemaRegistryPackageMissing(url), { cause: error });
  }
  return Object.freeze({ schemaRegistry: new loaded.SchemaRegistryClient(setting as GokaSchemaRegistryOptions) });
}
