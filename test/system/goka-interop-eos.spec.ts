import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codecs, defineGroup, input, partitionFor, persist, Processor, tableName } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGokaView, goView as readGoView } from '../support/goka-view-fixture.js';
import type { GoView } from '../support/goka-view-fixture.js';
import { systemBrokers, uniqueName } from '../support/kafka.js';
import { ClickWriter } from './click-writer.js';
import { allCommitted, miscounted, viewCounts } from './exactly-once-harness.js';
import { adapterFor, createTopics, FAST, startReady, stopClean } from './processor-harness.js';

/**
 * Issue 16: a table written by an exactly-once processor of ours, read by the real Go Goka
 * (test/fixtures/goka-view: a goka.View with Goka's int64 codec) once with sarama's default isolation
 * level (read_uncommitted, what every Goka view has unless configured) and once with read_committed.
 * The Go module is built once per run (test/support/goka-view-fixture.ts).
 */

const PARTITIONS = 4;
const KEYS = 12;
const CLICKS = 600;
const BOGUS = 1_000_000;

describe('Go Goka views of an exactly-once table (real Kafka, real Go Goka)', () => {
  let workDir = '';
  let binary = '';

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'goka-interop-'));
    binary = join(workDir, 'goka-view');
    const started = performance.now();
    await buildGokaView(binary);
    console.info(`goka-view built in ${Math.round(performance.now() - started)} ms`);
  }, 600_000);

  afterAll(async () => {
    if (workDir !== '') await rm(workDir, { recursive: true, force: true });
  });

  const goView = (brokers: readonly string[], table: string, keys: readonly string[], readCommitted: boolean): Promise<GoView> =>
    readGoView(binary, brokers, table, keys, { readCommitted, timeout: '10s' });

  it(
    'reads the exact counts with read_committed and an aborted write with read_uncommitted, but never finishes recovering while each partition ends with a transaction marker',
    async () => {
      const brokers = systemBrokers();
      const group = uniqueName('goka-interop');
      const topic = uniqueName('goka-interop-clicks');
      const table = tableName(group);
      await createTopics(brokers, [{ topic, partitions: PARTITIONS }]);

      const graph = defineGroup(
        group,
        input(topic, codecs.string, (ctx: ProcessContext<number>) => ctx.setValue((ctx.value() ?? 0) + 1)),
        persist(codecs.int64),
      );
      const processor = new Processor(graph, {
        ...FAST,
        kafka: adapterFor(brokers),
        guarantee: 'exactly-once',
        transactionalId: uniqueName('goka-interop-counter'),
      });
      const running = await startReady(processor);
      const clicks = new ClickWriter(brokers, topic, KEYS);
      for (let burst = 0; burst < 6; burst++) await clicks.burst(CLICKS / 6);
      await clicks.stop();
      await allCommitted(brokers, group, topic);
      await stopClean(processor, running);
      expect(miscounted(clicks.emitted, await viewCounts(brokers, group, clicks.emitted.keys()))).toEqual([]);

      // One aborted transaction in the table topic: a bogus count for one key, in its partition.
      const victim = 'key-0';
      const producer = adapterFor(brokers).createTransactionalProducer({ transactionalId: uniqueName('goka-interop-aborted') });
      await producer.connect();
      try {
        const transaction = producer.begin();
        await transaction.send([{ topic: table, partition: partitionFor(victim, PARTITIONS), key: Buffer.from(victim), value: codecs.int64.encode(BOGUS) }]);
        await transaction.abort();
      } finally {
        await producer.disconnect();
      }

      const keys = [...clicks.emitted.keys()].sort();
      const exact = Object.fromEntries(keys.map((key) => [key, clicks.emitted.get(key)]));
      const withAborted = { ...exact, [victim]: BOGUS };
      const victimPartition = String(partitionFor(victim, PARTITIONS));

      // Goka's view recovery ends once it received the record at high-water mark - 1. In a table
      // written with transactions that offset is always a transaction marker, which no consumer is
      // handed: the view never reports itself recovered, whatever its isolation level. It has read
      // everything there is (Get is allowed while recovering), and what it read depends on the level.
      const uncommitted = await goView(brokers, table, keys, false);
      expect(uncommitted.recovered).toBe(false);
      for (const [partition, state] of Object.entries(uncommitted.partitions ?? {})) {
        // The last record it got is the one before the final marker (the aborted write in the victim's partition).
        expect(state, `partition ${partition}`).toMatchObject({ status: 'recovering', recoveryOffset: state.hwm - 2 });
      }
      expect(Object.keys(uncommitted.partitions ?? {})).toHaveLength(PARTITIONS);
      expect(uncommitted.values).toEqual(withAborted);

      const committed = await goView(brokers, table, keys, true);
      expect(committed.recovered).toBe(false);
      for (const [partition, state] of Object.entries(committed.partitions ?? {})) {
        // In the victim's partition: last committed record, commit marker, aborted record, abort marker.
        const behind = partition === victimPartition ? 4 : 2;
        expect(state, `partition ${partition}`).toMatchObject({ status: 'recovering', recoveryOffset: state.hwm - behind });
      }
      expect(Object.keys(committed.partitions ?? {})).toHaveLength(PARTITIONS);
      expect(committed.values).toEqual(exact);

      // The cause: once each partition ends with a plain (non-transactional) record, the same view
      // recovers. Tombstones of a key that is not in the table change no count.
      const plain = adapterFor(brokers).createProducer();
      await plain.connect();
      try {
        await plain.send(
          Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: table, partition, key: Buffer.from(`no-such-key-${partition}`), value: null })),
        );
      } finally {
        await plain.disconnect();
      }
      expect(await goView(brokers, table, keys, false)).toMatchObject({ recovered: true, values: withAborted });
      expect(await goView(brokers, table, keys, true)).toMatchObject({ recovered: true, values: exact });
    },
    240_000,
  );
});
