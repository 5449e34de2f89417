import { createRequire } from 'node:module';
import { CompressionUnavailableError } from '@goka/core';

const require = createRequire(import.meta.url);

/**
 * Loads the CommonJS package `name` (a napi-rs codec whose binary comes from a per-platform optional
 * dependency) on first use, so that importing the library never fails on a platform without it; a
 * failed load throws {@link CompressionUnavailableError} naming `codec`.
 */
export function lazyModule<T>(name: string, codec: string): () => T {
  let loaded: T | undefined;
  return () => {
    if (loaded !== undefined) return loaded;
    try {
      loaded = require(name) as T;
    } catch (error) {
      const reason = `the package ${name} did not load on ${process.platform}-${process.arch}: ${error instanceof Error ? error.message : String(error)}`;
      throw new CompressionUnavailableError(codec, reason, { cause: error });
    }
    return loaded;
  };
}
