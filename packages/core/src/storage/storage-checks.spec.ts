import { describe, expect, it } from 'vitest';
import { ReservedKeyError, StorageError } from '../errors/storage-error.js';
import { checkOffset, checkOps, decodeOffset, encodeOffset } from './storage-checks.js';

const location = { topic: 't', partition: 1, path: '/x/t.1' };

describe('offset encoding', () => {
  it('is decimal ASCII like Goka’s __offset', () => {
    expect(encodeOffset(0)).toEqual(Buffer.from('0'));
    expect(encodeOffset(1234)).toEqual(Buffer.from([0x31, 0x32, 0x33, 0x34]));
    expect(decodeOffset(Buffer.from('1234'), location)).toBe(1234);
  });

  it('rejects corrupt stored offsets, naming the store', () => {
    for (const text of ['', 'x', '-1', '1.5', '99999999999999999999']) {
      expect(() => decodeOffset(Buffer.from(text), location)).toThrow(StorageError);
    }
    expect(() => decodeOffset(Buffer.from('x'), location)).toThrow(
      'storage of topic "t" partition 1 at /x/t.1: stored offset "x" is not a non-negative decimal integer',
    );
  });

  it('checkOffset accepts only non-negative safe integers', () => {
    expect(() => checkOffset(0, location)).not.toThrow();
    for (const bad of [-1, 0.5, Number.NaN, 2 ** 53, '1', null]) expect(() => checkOffset(bad, location)).toThrow(StorageError);
  });
});

describe('checkOps', () => {
  it('accepts put and del, rejects the reserved key, bad values and unknown types', () => {
    expect(() => checkOps([{ type: 'put', key: '', value: Buffer.alloc(0) }, { type: 'del', key: 'x' }], location)).not.toThrow();
    expect(() => checkOps([{ type: 'del', key: '__offset' }], location)).toThrow(ReservedKeyError);
    expect(() => checkOps([{ type: 'put', key: 'k', value: null as unknown as Buffer }], location)).toThrow(StorageError);
    expect(() => checkOps([{ type: 'upsert', key: 'k' } as never], location)).toThrow('batch operation type must be "put" or "del"');
    expect(() => checkOps([{ type: 'del', key: 5 as unknown as string }], location)).toThrow('keys are strings, got number');
  });
});
