import { describe, expect, it } from 'vitest';
import { WireWriter } from '../protocol/wire.js';
import { decodeOffsetFetchResponse, encodeOffsetFetchRequest, OFFSET_FETCH } from './offset-fetch-request.js';

describe('OffsetFetch v7 (KIP-447 require_stable)', () => {
  it('is API key 9, version 7', () => {
    expect(OFFSET_FETCH).toEqual({ apiKey: 9, apiName: 'OffsetFetch', version: 7 });
  });

  it('encodes header tags, compact group id, compact topics with compact partition arrays, require_stable, tags', () => {
    const bytes = encodeOffsetFetchRequest({
      groupId: 'g',
      topics: [
        { topic: 'in', partitions: [0, 2] },
        { topic: 't', partitions: [1] },
      ],
      requireStable: true,
    });
    expect(bytes.toString('hex')).toBe(
      [
        '00', // request header v2's tagged fields
        '02', '67', // group_id 'g' (length + 1)
        '03', // 2 topics
        '03', '696e', // 'in'
        '03', '00000000', '00000002', // partitions [0, 2]
        '00', // topic tags
        '02', '74', // 't'
        '02', '00000001', // partitions [1]
        '00',
        '01', // require_stable
        '00', // request tags
      ].join(''),
    );
  });

  it('writes require_stable false as 0 and no topics as an empty compact array', () => {
    const bytes = encodeOffsetFetchRequest({ groupId: 'grp', topics: [], requireStable: false });
    expect(bytes.toString('hex')).toBe(['00', '04', '677270', '01', '00', '00'].join(''));
  });

  it('decodes the header tags, throttle time, topics with offsets and partition errors, and the group error', () => {
    const writer = new WireWriter()
      .tags() // response header v1's tagged fields
      .int32(0); // throttle time
    writer.compactArray(
      [
        {
          topic: 'in',
          partitions: [
            { partition: 0, offset: 42, error: 0 },
            { partition: 1, offset: -1, error: 88 },
          ],
        },
        { topic: 'other', partitions: [{ partition: 3, offset: 2 ** 40, error: 0 }] },
      ],
      ({ topic, partitions }) => {
        writer.compactString(topic);
        writer.compactArray(partitions, ({ partition, offset, error }) => {
          writer.int32(partition).int64(offset).int32(-1).compactNullableString(partition === 0 ? 'meta' : null).int16(error).tags();
        });
        writer.tags();
      },
    );
    const body = writer.int16(0).tags().build();
    expect(decodeOffsetFetchResponse(body)).toEqual({
      errorCode: 0,
      topics: [
        {
          topic: 'in',
          partitions: [
            { partition: 0, offset: 42, errorCode: 0 },
            { partition: 1, offset: -1, errorCode: 88 },
          ],
        },
        { topic: 'other', partitions: [{ partition: 3, offset: 2 ** 40, errorCode: 0 }] },
      ],
    });
  });

  it('decodes a group error with no topics (e.g. NOT_COORDINATOR) from raw bytes', () => {
    const body = Buffer.from(['00', '00000000', '01', '0010', '00'].join(''), 'hex');
    expect(decodeOffsetFetchResponse(body)).toEqual({ errorCode: 16, topics: [] });
  });

  it('skips tagged fields the broker adds in the response', () => {
    // header tags: one field (tag 0, 2 bytes); a partition with a tagged field (tag 1, 1 byte)
    const body = Buffer.from(
      [
        '01', '00', '02', 'abcd', // response header tags
        '00000005', // throttle
        '02', '02', '61', // 1 topic 'a'
        '02', '00000000', '0000000000000007', 'ffffffff', '00', '0000', '01', '01', '01', 'ff', // partition 0 @ 7, metadata null, tagged field
        '00', // topic tags
        '0000', '00',
      ].join(''),
      'hex',
    );
    expect(decodeOffsetFetchResponse(body)).toEqual({ errorCode: 0, topics: [{ topic: 'a', partitions: [{ partition: 0, offset: 7, errorCode: 0 }] }] });
  });
});
