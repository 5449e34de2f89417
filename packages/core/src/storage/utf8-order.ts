const LONE_SURROGATE = /\p{Cs}/u;
const LONE_SURROGATES = /\p{Cs}/gu;

/**
 * The string whose UTF-8 bytes are the storage key of `key`: lone surrogates become U+FFFD, as in
 * `Buffer.from(key)`, so two strings map to the same stored key exactly when their bytes match.
 */
export function normalizeKey(key: string): string {
  return LONE_SURROGATE.test(key) ? key.replace(LONE_SURROGATES, '\uFFFD') : key;
}

/**
 * Compares well-formed strings in the byte order of their UTF-8 encodings (the order of
 * `Buffer.compare`, i.e. code point order) without encoding them. JS `<` compares UTF-16 code
 * units, which puts astral characters (surrogate pairs) before U+E000..U+FFFF; this fixes that up.
 */
export function compareUtf8(a: string, b: string): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Surrogates (astral code points) move above U+E000..U+FFFF.
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Index of the first element of sorted `keys` that is `>= key` (UTF-8 byte order). */
export function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareUtf8(keys[mid] as string, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
