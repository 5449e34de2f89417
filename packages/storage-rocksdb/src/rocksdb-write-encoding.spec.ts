import { describe, expect, it } from 'vitest';
import { DEL, PUT, WriteBatchEncoder } from './rocksdb-write-encoding.js';

/** Decodes a batch the way the writer thread does. */
function decode(buffer: ArrayBuffer, count: number): Array<[number, string, string | undefined]> {
  const bytes = Buffer.from(buffer);
  const ops: Array<[number, string, string | undefined]> = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const type = bytes[at] as number;
    const keyLength = bytes.readUInt32LE(at + 1);
    const key = bytes.subarray(at + 5, at + 5 + keyLength).toString('utf8');
    at += 5 + keyLength;
    let value: string | undefined;
    if (type === PUT) {
      const valueLength = bytes.readUInt32LE(at);
      value = bytes.subarray(at + 4, at + 4 + valueLength).toString('utf8');
      at += 4 + valueLength;
    }
    ops.push([type, key, value]);
  }
  return ops;
}

describe('WriteBatchEncoder', () => {
  it('encodes prefixed, unprefixed, non-ASCII and long keys as UTF-8, in call order', () => {
    const prefix = Buffer.from('topic.3/');
    const long = 'k'.repeat(100) + 'é';
    const batch = new WriteBatchEncoder();
    batch.put('key-1', Buffer.from('v1'), prefix);
    batch.del('gone', prefix);
    batch.put('ключ-€', Buffer.from('v2'), prefix);
    batch.put('plain', Buffer.alloc(0));
    batch.put(long, Buffer.from('v3'), prefix);
    batch.del('aé');
    expect(batch.count).toBe(6);
    expect(decode(batch.encode(), batch.count)).toEqual([
      [PUT, 'topic.3/key-1', 'v1'],
      [DEL, 'topic.3/gone', undefined],
      [PUT, 'topic.3/ключ-€', 'v2'],
      [PUT, 'plain', ''],
      [PUT, `topic.3/${long}`, 'v3'],
      [DEL, 'aé', undefined],
    ]);
  });
});
