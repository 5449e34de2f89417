import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeAddOffsetsToTxnResponse, encodeAddOffsetsToTxnRequest } from './add-offsets-to-txn-request.js';
import { decodeAddPartitionsToTxnResponse, encodeAddPartitionsToTxnRequest } from './add-partitions-to-txn-request.js';
import { decodeEndTxnResponse, encodeEndTxnRequest } from './end-txn-request.js';
import { decodeFindCoordinatorResponse, encodeFindCoordinatorRequest } from './find-coordinator-request.js';
import { decodeInitProducerIdResponse, encodeInitProducerIdRequest } from './init-producer-id-request.js';
import { transactionErrorKind } from './transaction-errors.js';
import { decodeTxnOffsetCommitResponse, encodeTxnOffsetCommitRequest } from './txn-offset-commit-request.js';
import { WireWriter } from '../protocol/wire.js';
import { encodeProduceRequest } from '../protocol/produce-request.js';

const require = createRequire(import.meta.url);
/** The body kafkajs' own encoder writes for a request (version 1 and 2 layouts equal our classic versions). */
async function kafkajsBody(path: string, fields: Record<string, unknown>): Promise<Buffer> {
  const build = require(`kafkajs/src/protocol/requests/${path}`) as (fields: Record<string, unknown>) => { encode(): Promise<{ buffer: Buffer }> };
  return (await build(fields).encode()).buffer;
}

const identity = { producerId: 4000, producerEpoch: 3 };

describe('transaction request encodings', () => {
  it('FindCoordinator v2 is kafkajs’ layout (key, key type)', async () => {
    expect(encodeFindCoordinatorRequest('tx-1', 1)).toEqual(await kafkajsBody('findCoordinator/v2/request.js', { coordinatorKey: 'tx-1', coordinatorType: 1 }));
  });

  it('AddPartitionsToTxn v2 is the v1 layout kafkajs writes', async () => {
    const topics = [{ topic: 'a', partitions: [0, 2] }, { topic: 'b', partitions: [1] }];
    expect(encodeAddPartitionsToTxnRequest({ transactionalId: 'tx', ...identity, topics })).toEqual(
      await kafkajsBody('addPartitionsToTxn/v1/request.js', { transactionalId: 'tx', ...identity, topics }),
    );
  });

  it('AddOffsetsToTxn v2 and EndTxn v2 are the v1 layouts kafkajs writes', async () => {
    expect(encodeAddOffsetsToTxnRequest({ transactionalId: 'tx', ...identity, groupId: 'g' })).toEqual(
      await kafkajsBody('addOffsetsToTxn/v1/request.js', { transactionalId: 'tx', ...identity, groupId: 'g' }),
    );
    for (const committed of [true, false]) {
      expect(encodeEndTxnRequest({ transactionalId: 'tx', ...identity, committed })).toEqual(
        await kafkajsBody('endTxn/v1/request.js', { transactionalId: 'tx', ...identity, transactionResult: committed }),
      );
    }
  });

  it('InitProducerId v3 is flexible: header tags, compact transactional id, timeout, producer id and epoch, tags', () => {
    const bytes = encodeInitProducerIdRequest({ transactionalId: 'tx', transactionTimeoutMs: 10_000, producerId: -1, producerEpoch: -1 });
    expect(bytes.toString('hex')).toBe(['00', '03', '7478', '00002710', 'ffffffffffffffff', 'ffff', '00'].join(''));
  });

  it('TxnOffsetCommit v3 carries the generation, member id and no instance id, compactly (KIP-447)', () => {
    const bytes = encodeTxnOffsetCommitRequest({
      transactionalId: 'tx',
      groupId: 'g',
      ...identity,
      generationId: 5,
      memberId: 'm',
      groupInstanceId: null,
      topics: [{ topic: 'in', partitions: [{ partition: 1, offset: 42 }] }],
    });
    expect(bytes.toString('hex')).toBe(
      [
        '00', // request header v2 tags
        '03', // transactional id: length 2 + 1
        '7478',
        '02', // group id
        '67',
        '0000000000000fa0', // producer id 4000
        '0003',
        '00000005', // generation
        '02', // member id
        '6d',
        '00', // group instance id: null
        '02', // one topic
        '03', // topic 'in'
        '696e',
        '02', // one partition
        '00000001',
        '000000000000002a',
        'ffffffff', // leader epoch
        '01', // metadata ''
        '00', // partition tags
        '00', // topic tags
        '00', // request tags
      ].join(''),
    );
  });
});

describe('a transactional Produce', () => {
  it('carries the transactional id and marks each record batch transactional (attribute bit 4)', () => {
    const partitions = [{ topic: 't', partition: 0, records: [{ topic: 't', partition: 0, key: Buffer.from('k'), value: null }], sequence: { ...identity, baseSequence: 9 } }];
    const plain = encodeProduceRequest({ acks: -1, timeoutMs: 1000, now: 1, partitions });
    const transactional = encodeProduceRequest({ acks: -1, timeoutMs: 1000, now: 1, partitions, transactionalId: 'tx' });
    expect(plain.readInt16BE(0)).toBe(-1);
    expect(transactional.subarray(0, 4).toString('hex')).toBe('00027478');
    const attributesAt = (body: Buffer, idBytes: number): number => 2 + idBytes + 2 + 4 + 4 + 2 + 1 + 4 + 4 + 4 + 21;
    expect(plain.readInt16BE(attributesAt(plain, 0))).toBe(0);
    expect(transactional.readInt16BE(attributesAt(transactional, 2))).toBe(0x10);
    expect(transactional.length).toBe(plain.length + 2);
  });
});

describe('transaction response decodings', () => {
  it('reads each answer’s error codes', () => {
    const find = new WireWriter().int32(0).int16(0).nullableString(null).int32(2).string('broker-2').int32(9092).build();
    expect(decodeFindCoordinatorResponse(find)).toEqual({ errorCode: 0, errorMessage: null, nodeId: 2, host: 'broker-2', port: 9092 });

    const init = new WireWriter().tags().int32(0).int16(0).int64(77).int16(4).tags().build();
    expect(decodeInitProducerIdResponse(init)).toEqual({ errorCode: 0, producerId: 77, producerEpoch: 4 });

    const add = new WireWriter().int32(0).int32(1).string('a').int32(2).int32(0).int16(0).int32(1).int16(51).build();
    expect(decodeAddPartitionsToTxnResponse(add)).toEqual([
      { topic: 'a', partition: 0, errorCode: 0 },
      { topic: 'a', partition: 1, errorCode: 51 },
    ]);

    expect(decodeAddOffsetsToTxnResponse(new WireWriter().int32(0).int16(90).build())).toBe(90);
    expect(decodeEndTxnResponse(new WireWriter().int32(0).int16(47).build())).toBe(47);

    const commit = new WireWriter().tags().int32(0).uvarint(2).compactString('in').uvarint(2).int32(1).int16(22).tags().tags().tags().build();
    expect(decodeTxnOffsetCommitResponse(commit)).toEqual([{ topic: 'in', partition: 1, errorCode: 22 }]);
  });

  it('classifies the coordinators’ error codes', () => {
    expect([51, 14].map(transactionErrorKind)).toEqual(['retry', 'retry']);
    expect([15, 16].map(transactionErrorKind)).toEqual(['rediscover', 'rediscover']);
    expect([90, 47, 53].map(transactionErrorKind)).toEqual(['fenced', 'fenced', 'fenced']);
    expect([22, 25, 82].map(transactionErrorKind)).toEqual(['generation', 'generation', 'generation']);
    expect(transactionErrorKind(48)).toBe('fatal');
  });
});
