import { describe, expect, it } from 'vitest';
import { WireReader } from './wire.js';

describe('WireReader', () => {
  it('skips tagged fields with data: the size varint, then that many bytes', () => {
    // 2 tagged fields: tag 0 with 2 bytes, tag 5 with 1 byte; then an int16
    const reader = new WireReader(Buffer.from(['02', '00', '02', 'abcd', '05', '01', 'ff', '1234'].join(''), 'hex'));
    reader.tags();
    expect(reader.offset).toBe(8);
    expect(reader.int16()).toBe(0x1234);
  });
});
