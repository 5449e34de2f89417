import { describe, expect, it } from 'vitest';
import { StorageError } from '../errors/storage-error.js';
import { storageDirectoryName } from './storage-path.js';

describe('storageDirectoryName', () => {
  it('is <topic>.<partition> like Goka', () => {
    expect(storageDirectoryName('clicks-table', 3)).toBe('clicks-table.3');
    expect(storageDirectoryName('a.b_c-D9', 0)).toBe('a.b_c-D9.0');
  });

  it.each(['', '.', '..', '../x', 'a/b', 'a\\b', 'tópico', 'a b'])('rejects topic %j', (topic) => {
    expect(() => storageDirectoryName(topic, 0)).toThrow(StorageError);
  });

  it.each([-1, 1.5, Number.NaN])('rejects partition %s', (partition) => {
    expect(() => storageDirectoryName('t', partition)).toThrow('partition must be a non-negative integer');
  });
});
