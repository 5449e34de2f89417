import { describe, expect, it } from 'vitest';
import { compareUtf8, lowerBound, normalizeKey } from './utf8-order.js';

const sign = (n: number): number => (n > 0 ? 1 : n < 0 ? -1 : 0);

describe('compareUtf8', () => {
  it('orders like Buffer.compare of the UTF-8 bytes', () => {
    const chars = ['', 'a', 'b', '\u0000', '\u007f', '\u0080', 'é', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\uffff', '\uFFFD', '😀', '\u{10000}', '\u{10ffff}'];
    const strings: string[] = [];
    for (const x of chars) for (const y of chars) strings.push(x + y);
    const bytes = strings.map((s) => Buffer.from(s));
    const mismatches: string[] = [];
    for (let i = 0; i < strings.length; i++) {
      for (let j = 0; j < strings.length; j++) {
        const a = strings[i] as string;
        const b = strings[j] as string;
        if (sign(compareUtf8(a, b)) !== Buffer.compare(bytes[i] as Buffer, bytes[j] as Buffer)) {
          mismatches.push(`${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('differs from JS order for astral vs high-BMP characters', () => {
    const [astral, high] = ['😀', '\uFFFD'];
    expect(astral < high).toBe(true);
    expect(compareUtf8(astral, high)).toBe(1);
  });
});

describe('normalizeKey', () => {
  it('replaces lone surrogates like Buffer.from, keeps pairs', () => {
    for (const key of ['\ud800', 'a\udc00b', '\ude00\ud83d', '😀', 'plain']) {
      expect(normalizeKey(key)).toBe(Buffer.from(key).toString('utf8'));
    }
    const plain = 'plain';
    expect(normalizeKey(plain)).toBe(plain);
  });
});

describe('lowerBound', () => {
  it('finds the first key >= the bound', () => {
    const keys = ['a', 'c', 'é', '😀'];
    expect([lowerBound(keys, ''), lowerBound(keys, 'b'), lowerBound(keys, 'c'), lowerBound(keys, '\uFFFD'), lowerBound(keys, '\u{10ffff}')]).toEqual([0, 1, 1, 3, 4]);
  });
});
