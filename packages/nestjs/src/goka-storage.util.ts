import { join } from 'node:path';
import type { GokaLogger, StorageFactory } from '@goka/core';
import { storagePackageMissing } from './goka.messages.js';
import { GokaOptionsError } from './errors/goka-options.error.js';
import type {
  GokaStorageOptions,
  GokaStoragePathOptions,
  GokaStorageScope,
} from './interfaces/goka-storage-options.interface.js';

/**
 * The storage factory of one component from the module's `storage` option: the shared factory, a
 * RocksDB factory under `<path>/processors/<group>` or `<path>/views/<table>`, or the user's factory
 * for the scope. `undefined` leaves the core default (memory stores).
 */
export function resolveStorage(
  option: GokaStorageOptions | undefined,
  scope: GokaStorageScope,
  logger?: GokaLogger,
): StorageFactory | undefined {
  if (option === undefined) return undefined;
  if (typeof option === 'function') return option;
  if ('factory' in option) return option.factory(scope);
  return rocksDbStorage(option, scope, logger);
}

/** Loads `@goka/storage-rocksdb` on first use (an optional peer dependency). */
function rocksDbStorage(options: GokaStoragePathOptions, scope: GokaStorageScope, logger: GokaLogger | undefined): StorageFactory {
  const path =
    scope.kind === 'processor'
      ? join(options.path, 'processors', safeName(scope.group))
      : join(options.path, 'views', safeName(scope.table));
  let loading: Promise<StorageFactory> | undefined;
  const load = (): Promise<StorageFactory> => {
    loading ??= import('@goka/storage-rocksdb').then(
      ({ rocksDbStorageFactory }) =>
        rocksDbStorageFactory({
          path,
          ...(options.sync === undefined ? {} : { sync: options.sync }),
          ...(options.memory === undefined ? {} : { memory: options.memory }),
          ...(logger === undefined ? {} : { logger }),
        }),
      (error: unknown) => {
        loading = undefined;
        throw new GokaOptionsError(storagePackageMissing(options.path), { cause: error });
      },
    );
    return loading;
  };
  return async (topic, partition) => (await load())(topic, partition);
}

/** A folder name for a group or table (path separators replaced). */
function safeName(name: string): string {
  return name.replace(/[/\\]/g, '_');
}
