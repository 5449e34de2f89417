import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '@goka/core/kafka';
import { ProducerSequences } from './producer-sequences.js';
import type { ProducerIdentity } from './producer-sequences.js';

const record = (value: string): OutgoingMessage => ({ topic: 't', partition: 0, key: Buffer.from('k'), value: Buffer.from(value) });

/** Sequences whose InitProducerId hands out ids 1, 2, 3, ... */
function sequences(): { seqs: ProducerSequences; inits: () => number } {
  let next = 0;
  const seqs = new ProducerSequences(() => Promise.resolve({ producerId: ++next, producerEpoch: 0 }));
  return { seqs, inits: () => next };
}

describe('ProducerSequences (idempotent producer)', () => {
  it('numbers each partition’s batches on from the last, under one producer id asked for once', async () => {
    const { seqs, inits } = sequences();
    const id = await seqs.identity();
    expect(await seqs.identity()).toBe(id);
    expect(seqs.assign('0:t', 3, id)).toEqual({ producerId: 1, producerEpoch: 0, baseSequence: 0 });
    expect(seqs.assign('0:t', 2, id)).toEqual({ producerId: 1, producerEpoch: 0, baseSequence: 3 });
    expect(seqs.assign('1:t', 4, id)).toEqual({ producerId: 1, producerEpoch: 0, baseSequence: 0 });
    expect(inits()).toBe(1);
  });

  it('sends an unacknowledged batch again with its sequence when the next send repeats its records', async () => {
    const { seqs } = sequences();
    const id = await seqs.identity();
    const batch = [record('a'), record('b')];
    const sequence = seqs.assign('0:t', 2, id);
    seqs.uncertain('0:t', batch, sequence);
    // The caller retries those two records and adds one: the first two go alone, as before.
    expect(seqs.resent('0:t', [...batch, record('c')])).toBe(2);
    expect(seqs.uncertainSequence('0:t')).toBe(sequence);
    seqs.acknowledged('0:t', sequence);
    expect(seqs.uncertainSequence('0:t')).toBeUndefined();
    expect(seqs.assign('0:t', 1, id).baseSequence).toBe(2);
  });

  it('takes a new producer id when the next send does not repeat the unacknowledged batch (given up)', async () => {
    const { seqs, inits } = sequences();
    const first = await seqs.identity();
    seqs.uncertain('0:t', [record('a')], seqs.assign('0:t', 1, first));
    seqs.assign('1:t', 5, first);
    expect(seqs.resent('0:t', [record('other')])).toBe(0);
    const second: ProducerIdentity = await seqs.identity();
    expect(second.producerId).toBe(2);
    expect(inits()).toBe(2);
    // Every partition counts from 0 under the new id.
    expect(seqs.assign('0:t', 1, second).baseSequence).toBe(0);
    expect(seqs.assign('1:t', 1, second).baseSequence).toBe(0);
  });

  it('holds partitions for one send at a time, in one order: no two sends wait on each other', async () => {
    const { seqs } = sequences();
    const order: string[] = [];
    const releaseA = await seqs.lock(['1:t', '0:t']);
    const b = seqs.lock(['0:t', '2:t']).then((release) => {
      order.push('b');
      return release;
    });
    const c = seqs.lock(['2:t']).then((release) => {
      order.push('c');
      return release;
    });
    // c needs only 2:t, which b has not taken yet (b waits for 0:t first): c goes first.
    (await c)();
    expect(order).toEqual(['c']);
    releaseA();
    (await b)();
    expect(order).toEqual(['c', 'b']);
  });

  it('wraps sequence numbers at 2^31 - 1', async () => {
    const { seqs } = sequences();
    const id = await seqs.identity();
    seqs.assign('0:t', 2_147_483_647, id);
    expect(seqs.assign('0:t', 1, id).baseSequence).toBe(2_147_483_647);
    expect(seqs.assign('0:t', 1, id).baseSequence).toBe(0);
  });
});
