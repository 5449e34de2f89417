import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from './message.js';
import { culpritOf, recordSize } from './produce-culprit.js';

const record = (key: string, valueBytes: number, headers?: Record<string, Buffer>): OutgoingMessage => ({
  topic: 't',
  partition: 2,
  key: Buffer.from(key),
  value: Buffer.alloc(valueBytes),
  ...(headers === undefined ? {} : { headers }),
});

describe('culpritOf: which record of a failed partition batch the error names', () => {
  const records = [record('a', 10), record('big', 5000), record('b', 20), record('huge-but-not-in-batch', 9000)];

  it('for MESSAGE_TOO_LARGE / RECORD_LIST_TOO_LARGE: the largest record of the failed batch', () => {
    const tooLarge = { type: 'MESSAGE_TOO_LARGE', code: 10 };
    expect(culpritOf(records, [0, 1, 2], tooLarge)).toMatchObject({ key: 'big', bytes: 5003 });
    expect(culpritOf(records, [0, 2], { code: 18 })).toMatchObject({ key: 'b', bytes: 21 });
  });

  it('for other errors: the first record of the failed batch', () => {
    expect(culpritOf(records, [2, 1], { type: 'NOT_LEADER_FOR_PARTITION' })).toMatchObject({ key: 'b', bytes: 21 });
  });

  it('counts key, value and header bytes', () => {
    expect(recordSize(record('k', 3, { trace: Buffer.alloc(4) }))).toBe(1 + 3 + 5 + 4);
    expect(recordSize({ topic: 't', partition: 0, key: Buffer.from('k'), value: null })).toBe(1);
  });
});
