import { describe, expect, it } from 'vitest';
import { compactHeaders, isEmptyHeaders, mergeHeaders } from './merge-headers.js';

describe('mergeHeaders (Goka header_test.go)', () => {
  it('merges defaults with given headers, the given ones win, without mutating either', () => {
    const defaults = Object.freeze({ a: Buffer.from('1'), b: Buffer.from('2') });
    const given = { b: Buffer.from('x'), c: Buffer.from('y') };
    const merged = mergeHeaders(defaults, given);
    expect(merged).toEqual({ a: Buffer.from('1'), b: Buffer.from('x'), c: Buffer.from('y') });
    expect(defaults).toEqual({ a: Buffer.from('1'), b: Buffer.from('2') });
    expect(given).toEqual({ b: Buffer.from('x'), c: Buffer.from('y') });
  });

  it('returns the defaults themselves when nothing is given, and a copy of the given ones without defaults', () => {
    const defaults = { a: Buffer.from('1') };
    expect(mergeHeaders(defaults, undefined)).toBe(defaults);
    expect(mergeHeaders(defaults, {})).toBe(defaults);
    const given = { a: Buffer.from('2') };
    const merged = mergeHeaders(undefined, given);
    expect(merged).toEqual(given);
    expect(merged).not.toBe(given);
  });

  it('gives no headers when both are empty', () => {
    expect(mergeHeaders(undefined, undefined)).toBeUndefined();
    expect(mergeHeaders(undefined, {})).toBeUndefined();
  });

  it('compactHeaders turns an empty set into undefined', () => {
    expect(compactHeaders({})).toBeUndefined();
    expect(compactHeaders(undefined)).toBeUndefined();
    const headers = { a: Buffer.alloc(0) };
    expect(compactHeaders(headers)).toBe(headers);
    expect([isEmptyHeaders({}), isEmptyHeaders(headers)]).toEqual([true, false]);
  });
});
