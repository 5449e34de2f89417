import { describe, expect, it } from 'vitest';
import { ProducerSequenceError } from '@goka/core';
import { idempotenceError } from './idempotence-errors.js';

const sequence = { producerId: 7, producerEpoch: 1, baseSequence: 42 };
const cause = new Error('broker said so');

describe('idempotence error codes', () => {
  it('types an out-of-order sequence, naming topic, partition, producer id, epoch and sequence; never retriable', () => {
    const error = idempotenceError(45, 'clicks', 3, sequence, cause);
    expect(error).toBeInstanceOf(ProducerSequenceError);
    expect(error).toMatchObject({ topic: 'clicks', partition: 3, producerId: 7, producerEpoch: 1, baseSequence: 42, fenced: false, retriable: false });
    expect((error as Error).message).toBe(
      'the batch for topic "clicks" partition 3 (producer id 7, epoch 1, sequence 42) was refused: the broker expected another sequence number (a batch before it was lost)',
    );
    expect((error as Error).cause).toBe(cause);
  });

  it('marks a fenced producer (INVALID_PRODUCER_EPOCH, PRODUCER_FENCED) and a duplicate beyond the broker’s memory', () => {
    expect(idempotenceError(47, 't', 0, sequence, cause)).toMatchObject({ fenced: true });
    expect(idempotenceError(90, 't', 0, sequence, cause)).toMatchObject({ fenced: true });
    expect(idempotenceError(46, 't', 0, sequence, cause)).toMatchObject({ fenced: false });
  });

  it('asks for a new producer id on UNKNOWN_PRODUCER_ID and leaves other codes alone', () => {
    expect(idempotenceError(59, 't', 0, sequence, cause)).toBe('unknown-producer');
    expect(idempotenceError(6, 't', 0, sequence, cause)).toBeUndefined();
  });
});
