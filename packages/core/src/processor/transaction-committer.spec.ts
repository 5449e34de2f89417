import { describe, expect, it } from 'vitest';
import type { CommitOffset } from '../kafka/consumer-group.js';
import type { OutgoingMessage, ProducedOffset } from '../kafka/message.js';
import type { Transaction, TransactionalProducer } from '../kafka/transaction.js';
import { silentLogger } from '../util/logger.js';
import { TransactionCommitter } from './transaction-committer.js';

/** A transactional producer that records what happens, in order; EndTxn waits for `endTxn` when set. */
function fakeProducer(events: string[], control: { endTxn?: Promise<void> }): TransactionalProducer {
  let count = 0;
  return {
    connect: async () => undefined,
    disconnect: async () => undefined,
    begin(): Transaction {
      const id = ++count;
      return {
        send: async (records: readonly OutgoingMessage[]): Promise<ProducedOffset[]> => {
          events.push(`send ${id}`);
          return records.map((record) => ({ topic: record.topic, partition: record.partition, offset: 0 }));
        },
        sendOffsets: async () => {
          events.push(`offsets ${id}`);
        },
        commit: async () => {
          await control.endTxn;
          events.push(`commit ${id}`);
        },
        abort: async () => {
          events.push(`abort ${id}`);
        },
      };
    },
  };
}

const generation = { groupId: 'g', generation: 1, memberId: 'm' };
const source = (offsets: CommitOffset[]) => ({ commitOffsets: () => offsets, markCommitted: () => undefined });
const record: OutgoingMessage = { topic: 't', partition: 0, key: Buffer.from('k'), value: Buffer.from('v') };

describe('TransactionCommitter', () => {
  it('holds new sends until EndTxn answered, then takes them while the committed store writes run', async () => {
    const events: string[] = [];
    let endTxn!: () => void;
    const control: { endTxn?: Promise<void> } = { endTxn: new Promise<void>((resolve) => (endTxn = resolve)) };
    const committer = new TransactionCommitter(() => fakeProducer(events, control), silentLogger, () => undefined);
    await committer.connect();
    let storeWrite!: () => void;
    const storeWritten = new Promise<void>((resolve) => (storeWrite = resolve));
    await committer.within(async (transaction) => {
      await transaction.send([record]);
      committer.onCommit(async () => {
        events.push('store 1 starts');
        await storeWritten;
        events.push('store 1 done');
      });
    });
    const first = committer.commit(generation, source([{ topic: 'in', partition: 0, offset: 1 }]));
    // A send during the commit waits for EndTxn.
    const during = committer.within(async (transaction) => {
      await transaction.send([record]);
      committer.onCommit(async () => {
        events.push('store 2');
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events).toEqual(['send 1', 'offsets 1']);
    endTxn();
    // Once committed, the held send goes into the next transaction while store 1 still runs.
    await during;
    expect(events).toEqual(['send 1', 'offsets 1', 'commit 1', 'store 1 starts', 'send 2']);
    // The next commit waits for the previous transaction's store writes: they stay in order.
    const second = committer.commit(generation, source([{ topic: 'in', partition: 0, offset: 2 }]));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events).not.toContain('offsets 2');
    storeWrite();
    expect(await first).toBe(true);
    expect(await second).toBe(true);
    expect(events).toEqual(['send 1', 'offsets 1', 'commit 1', 'store 1 starts', 'send 2', 'store 1 done', 'offsets 2', 'commit 2', 'store 2']);
  });

  it('runs no store write of a transaction that aborted', async () => {
    const events: string[] = [];
    const committer = new TransactionCommitter(() => fakeProducer(events, {}), silentLogger, () => undefined);
    await committer.connect();
    await expect(
      committer.within(async (transaction) => {
        await transaction.send([record]);
        committer.onCommit(async () => {
          events.push('store');
        });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await committer.commit(generation, source([{ topic: 'in', partition: 0, offset: 1 }]))).toBe(false);
    expect(events).toEqual(['send 1', 'abort 1']);
  });
});
