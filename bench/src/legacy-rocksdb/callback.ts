import type { RocksDbCallback } from './rocksdb-binding.js';

/** Wraps a Node-style callback call in a promise. */
export function callback<T = undefined>(run: (done: RocksDbCallback<T>) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    run((error, result) => {
      if (error) reject(error);
      else resolve(result);
    });
  });
}
