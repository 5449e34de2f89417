/**
 * Kafka's primitive types for the small requests of a transactional producer (FindCoordinator,
 * InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit, EndTxn): a growing writer and
 * a reader, with the classic (int16-length strings, int32-length arrays) and the flexible (compact,
 * unsigned-varint lengths plus one, tagged fields) encodings. These requests are a few dozen bytes:
 * clarity over speed.
 *
 * A flexible version's request header (v2) ends with its own tagged fields after the client id, which
 * kafkajs' connection does not write: a flexible body therefore starts with one empty tagged-field
 * section ({@link WireWriter.headerTags}), and a flexible response body (after the correlation id)
 * starts with the response header's (skipped by {@link WireReader.tags}).
 */

export class WireWriter {
  private readonly chunks: Buffer[] = [];

  int8(value: number): this {
    const buffer = Buffer.allocUnsafe(1);
    buffer.writeInt8(value);
    return this.push(buffer);
  }

  bool(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  int16(value: number): this {
    const buffer = Buffer.allocUnsafe(2);
    buffer.writeInt16BE(value);
    return this.push(buffer);
  }

  int32(value: number): this {
    const buffer = Buffer.allocUnsafe(4);
    buffer.writeInt32BE(value);
    return this.push(buffer);
  }

  int64(value: number): this {
    const buffer = Buffer.allocUnsafe(8);
    buffer.writeBigInt64BE(BigInt(value));
    return this.push(buffer);
  }

  uvarint(value: number): this {
    const bytes: number[] = [];
    while (value >= 0x80) {
      bytes.push((value & 0x7f) | 0x80);
      value = Math.floor(value / 128);
    }
    bytes.push(value);
    return this.push(Buffer.from(bytes));
  }

  /** STRING: int16 length, UTF-8. */
  string(value: string): this {
    const bytes = Buffer.from(value, 'utf8');
    return this.int16(bytes.length).push(bytes);
  }

  /** NULLABLE_STRING: `null` is length -1. */
  nullableString(value: string | null): this {
    return value === null ? this.int16(-1) : this.string(value);
  }

  /** COMPACT_STRING: unsigned-varint length + 1, UTF-8. */
  compactString(value: string): this {
    const bytes = Buffer.from(value, 'utf8');
    return this.uvarint(bytes.length + 1).push(bytes);
  }

  /** COMPACT_NULLABLE_STRING: `null` is length 0. */
  compactNullableString(value: string | null): this {
    return value === null ? this.uvarint(0) : this.compactString(value);
  }

  /** ARRAY: int32 count, then each item. */
  array<T>(items: readonly T[], write: (item: T) => void): this {
    this.int32(items.length);
    for (const item of items) write(item);
    return this;
  }

  /** COMPACT_ARRAY: unsigned-varint count + 1, then each item. */
  compactArray<T>(items: readonly T[], write: (item: T) => void): this {
    this.uvarint(items.length + 1);
    for (const item of items) write(item);
    return this;
  }

  /** An empty tagged-field section (a flexible structure's end). */
  tags(): this {
    return this.uvarint(0);
  }

  /** The request header v2's empty tagged fields, first in a flexible request's body (see the file comment). */
  headerTags(): this {
    return this.tags();
  }

  build(): Buffer {
    return Buffer.concat(this.chunks);
  }

  private push(buffer: Buffer): this {
    this.chunks.push(buffer);
    return this;
  }
}

export class WireReader {
  offset = 0;
  constructor(private readonly buffer: Buffer) {}

  int8(): number {
    const value = this.buffer.readInt8(this.offset);
    this.offset += 1;
    return value;
  }

  int16(): number {
    const value = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  int32(): number {
    const value = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  int64(): number {
    const value = Number(this.buffer.readBigInt64BE(this.offset));
    this.offset += 8;
    return value;
  }

  skip(bytes: number): void {
    this.offset += bytes;
  }

  /** A zig-zag varint or varlong (as a safe integer): record fields. On the hot path of every fetch. */
  varint(): number {
    const buffer = this.buffer;
    let byte = buffer[this.offset++] as number;
    let value = byte & 0x7f;
    let scale = 128;
    while (byte & 0x80) {
      byte = buffer[this.offset++] as number;
      value += (byte & 0x7f) * scale;
      scale *= 128;
    }
    return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
  }

  /** Bytes with a zig-zag varint length (record keys, values, header values); `null` for length -1. */
  varBytes(): Buffer | null {
    const length = this.varint();
    if (length < 0) return null;
    const value = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  uvarint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = this.buffer[this.offset++];
      if (byte === undefined) throw new RangeError('a varint runs past the end of the response');
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return value;
      scale *= 128;
    }
  }

  /** NULLABLE_STRING or STRING (`null` for length -1). */
  nullableString(): string | null {
    const length = this.int16();
    if (length < 0) return null;
    return this.text(length);
  }

  string(): string {
    return this.nullableString() ?? '';
  }

  /** COMPACT_NULLABLE_STRING or COMPACT_STRING (`null` for length 0). */
  compactNullableString(): string | null {
    const length = this.uvarint() - 1;
    if (length < 0) return null;
    return this.text(length);
  }

  compactString(): string {
    return this.compactNullableString() ?? '';
  }

  array<T>(read: () => T): T[] {
    const count = this.int32();
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(read());
    return items;
  }

  compactArray<T>(read: () => T): T[] {
    const count = this.uvarint() - 1;
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(read());
    return items;
  }

  /** Skips a tagged-field section (we read no tagged field). */
  tags(): void {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint(); // tag
      const size = this.uvarint(); // (not `offset += uvarint()`: that adds to the offset before the size)
      this.offset += size; // the data
    }
  }

  private text(length: number): string {
    const value = this.buffer.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return value;
  }
}
