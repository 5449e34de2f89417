const OFFSET_BASIS = 0x811c9dc5;
const PRIME = 0x01000193;

/**
 * FNV-1a 32-bit hash of the key's UTF-8 bytes (Goka's default hasher, Go `hash/fnv.New32a`),
 * returned unsigned. UTF-8 is encoded on the fly: no allocation per call. Lone surrogates hash as
 * U+FFFD, like `Buffer.from(key)` (the bytes a Kafka client writes for such a key).
 */
export function fnv1a32(key: string): number {
  let h = OFFSET_BASIS;
  const length = key.length;
  for (let i = 0; i < length; i++) {
    let c = key.charCodeAt(i);
    if (c < 0x80) {
      h = Math.imul(h ^ c, PRIME);
      continue;
    }
    if (c < 0x800) {
      h = Math.imul(h ^ (0xc0 | (c >> 6)), PRIME);
      h = Math.imul(h ^ (0x80 | (c & 0x3f)), PRIME);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < length ? key.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        h = Math.imul(h ^ (0xf0 | (cp >> 18)), PRIME);
        h = Math.imul(h ^ (0x80 | ((cp >> 12) & 0x3f)), PRIME);
        h = Math.imul(h ^ (0x80 | ((cp >> 6) & 0x3f)), PRIME);
        h = Math.imul(h ^ (0x80 | (cp & 0x3f)), PRIME);
        continue;
      }
      c = 0xfffd;
    }
    h = Math.imul(h ^ (0xe0 | (c >> 12)), PRIME);
    h = Math.imul(h ^ (0x80 | ((c >> 6) & 0x3f)), PRIME);
    h = Math.imul(h ^ (0x80 | (c & 0x3f)), PRIME);
  }
  return h >>> 0;
}

/** FNV-1a 32-bit hash of raw bytes, unsigned (reference form of {@link fnv1a32}). */
export function fnv1a32Bytes(bytes: Uint8Array): number {
  let h = OFFSET_BASIS;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ (bytes[i] as number), PRIME);
  return h >>> 0;
}
