/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of Kafka record batches. */

const POLYNOMIAL = 0x82f63b78;

/** Eight 256-entry tables for slicing-by-8: table `k` advances the checksum over a byte followed by `k` zero bytes. */
const TABLES: readonly Int32Array[] = (() => {
  const tables = Array.from({ length: 8 }, () => new Int32Array(256));
  const first = tables[0] as Int32Array;
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ POLYNOMIAL : crc >>> 1;
    first[byte] = crc;
  }
  for (let byte = 0; byte < 256; byte++) {
    let crc = first[byte] as number;
    for (let k = 1; k < 8; k++) {
      crc = (first[crc & 0xff] as number) ^ (crc >>> 8);
      (tables[k] as Int32Array)[byte] = crc;
    }
  }
  return tables;
})();

/** The CRC-32C of `buffer[start, end)` as an unsigned 32-bit number. */
export function crc32c(buffer: Uint8Array, start = 0, end = buffer.length): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES as [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array];
  let crc = -1;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const low = crc ^ ((buffer[i] as number) | ((buffer[i + 1] as number) << 8) | ((buffer[i + 2] as number) << 16) | ((buffer[i + 3] as number) << 24));
    crc =
      (t7[low & 0xff] as number) ^
      (t6[(low >>> 8) & 0xff] as number) ^
      (t5[(low >>> 16) & 0xff] as number) ^
      (t4[low >>> 24] as number) ^
      (t3[buffer[i + 4] as number] as number) ^
      (t2[buffer[i + 5] as number] as number) ^
      (t1[buffer[i + 6] as number] as number) ^
      (t0[buffer[i + 7] as number] as number);
  }
  for (; i < end; i++) crc = (t0[(crc ^ (buffer[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}
