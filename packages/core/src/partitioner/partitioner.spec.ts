import { describe, expect, it } from 'vitest';
import { fnv1a32, fnv1a32Bytes } from './fnv1a.js';
import { hashPartitioner, partitionFor } from './partitioner.js';

/** goka.md §2.2: key, FNV-1a 32 (hex), as int32, partitions, partition. */
const VECTORS: [key: string, hash: number, int32: number | undefined, partitions: number, partition: number][] = [
  ['', 0x811c9dc5, -2128831035, 10, 5],
  ['a', 0xe40c292c, -468965076, 3, 0],
  ['some-key', 0x51936373, 1368613747, 8, 3],
  ['user-0', 0xf6537b07, -162301177, 8, 1],
  ['key1', 0x374a6a67, undefined, 2, 1],
  ['key2', 0x384a6bfa, undefined, 2, 0],
  ['0', 0x350ca8af, undefined, 10, 3],
  ['02', 0x1fed6f27, undefined, 10, 3],
];

const int32Min = (): number => 0x80000000;

describe('fnv1a32', () => {
  it.each(VECTORS)('hashes %j like Goka', (key, hash, int32) => {
    expect(fnv1a32(key)).toBe(hash);
    expect(fnv1a32Bytes(Buffer.from(key))).toBe(hash);
    if (int32 !== undefined) expect(fnv1a32(key) | 0).toBe(int32);
  });

  it('hashes the UTF-8 bytes of any string (2-, 3-, 4-byte sequences, lone surrogates)', () => {
    const samples = ['é', 'ß', '中文', '€', '\u07ff', '\u0800', '\uffff', '😀', '\u{10000}', '\u{10ffff}', 'a😀b'];
    samples.push('\ud800', '\udc00', 'x\ud83dy', '\ud83d', '\ude00\ud83d');
    let seed = 1;
    for (let n = 0; n < 500; n++) {
      let key = '';
      for (let j = 0; j < n % 9; j++) {
        seed = (Math.imul(seed, 48271) + 11) >>> 0;
        key += String.fromCharCode(seed % 3 === 0 ? seed % 0x80 : seed % 0x10000);
      }
      samples.push(key);
    }
    for (const key of samples) expect(fnv1a32(key), JSON.stringify(key)).toBe(fnv1a32Bytes(Buffer.from(key, 'utf8')));
  });
});

describe('partitionFor', () => {
  it.each(VECTORS)('puts %j where Goka does', (key, _hash, _int32, partitions, partition) => {
    expect(partitionFor(key, partitions)).toBe(partition);
  });

  it('keeps the pairs Goka system tests rely on', () => {
    expect(partitionFor('key1', 2)).not.toBe(partitionFor('key2', 2));
    expect(partitionFor('0', 10)).toBe(partitionFor('02', 10));
  });

  it('a single partition is always 0', () => {
    for (const key of ['', 'a', 'zzz', '😀']) expect(partitionFor(key, 1)).toBe(0);
  });

  it('never returns -0 or a negative index, including for int32 min', () => {
    expect(partitionFor('x', 7, int32Min)).toBe(Math.abs(-2147483648 % 7));
    expect(Object.is(partitionFor('x', 5, () => -10), 0)).toBe(true);
    for (let n = 1; n < 50; n++) {
      const p = partitionFor(`k${n}`, n);
      expect(p >= 0 && p < n).toBe(true);
    }
  });

  it('uses a plugged hasher, reading its result as int32', () => {
    expect(partitionFor('any', 10, () => 7)).toBe(7);
    expect(partitionFor('any', 10, () => 0xfffffff9)).toBe(7); // int32 -7 → 7
    expect(partitionFor('any', 10, () => -7)).toBe(7);
    const byLength = hashPartitioner((key) => key.length);
    expect(byLength('abcd', 3)).toBe(1);
  });

  it.each([0, -1, 1.5, Number.NaN, 2 ** 31, Number.POSITIVE_INFINITY])('rejects partition count %s', (count) => {
    expect(() => partitionFor('k', count)).toThrow(RangeError);
    expect(() => partitionFor('k', count)).toThrow('partition count must be a positive integer');
  });
});
