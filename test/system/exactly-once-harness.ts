import { setTimeout as delay } from 'node:timers/promises';
import { codecs, silentLogger, tableName, View } from '@goka/core';
import type { KafkaMessage } from '@goka/core';
import { expect } from 'vitest';
import { eventually } from '../support/eventually.js';
import { adapterFor, committedOffsets, highWatermarks } from './processor-harness.js';
import type { ClickWriter } from './click-writer.js';

/**
 * Pieces of the exactly-once system tests: paced clicks, waiting until a group committed every input
 * record, and every key's count read back through a fresh View and through the table topic.
 */

/** Emits `total` clicks at about `perSecond`, in bursts every 100 ms; resolves once all were acknowledged. */
export async function paceClicks(clicks: ClickWriter, total: number, perSecond: number): Promise<void> {
  const burst = Math.max(1, Math.round(perSecond / 10));
  while (clicks.total < total) {
    const started = Date.now();
    await clicks.burst(Math.min(burst, total - clicks.total));
    // Pacing only (the load's rate), never a wait for a result.
    await delay(Math.max(0, 100 - (Date.now() - started)));
  }
}

/** Resolves once `group` committed every record of `topic` up to its high-water marks. */
export async function allCommitted(brokers: readonly string[], group: string, topic: string, timeoutMs = 120_000): Promise<void> {
  const hwms = await highWatermarks(brokers, topic);
  await eventually(async () => expect(await committedOffsets(brokers, group, topic)).toEqual(hwms), { timeoutMs, intervalMs: 250 });
}

/** Every key's count in a fresh View of `group`'s table (read_committed, the default). */
export async function viewCounts(brokers: readonly string[], group: string, keys: Iterable<string>): Promise<Map<string, number | undefined>> {
  const view = new View(tableName(group), codecs.int64, { kafka: adapterFor(brokers), logger: silentLogger });
  const controller = new AbortController();
  const running = view.run(controller.signal);
  try {
    await view.waitRunning();
    const counts = new Map<string, number | undefined>();
    for (const key of keys) counts.set(key, await view.get(key));
    return counts;
  } finally {
    controller.abort();
    await running;
  }
}

/**
 * Every record of `topic` a read_committed reader sees (aborted transactions left out), up to each
 * partition's last stable offset when called.
 */
export async function readCommitted(brokers: readonly string[], topic: string): Promise<KafkaMessage[]> {
  const adapter = adapterFor(brokers);
  const admin = adapter.createAdmin();
  const reader = adapter.createReader({ isolationLevel: 'read_committed' });
  await Promise.all([admin.connect(), reader.connect()]);
  const controller = new AbortController();
  try {
    const description = await admin.describeTopic(topic);
    const partitions = description?.partitions ?? [];
    const ends = await admin.offsets(topic, partitions, 'read_committed');
    const read = await Promise.all(
      partitions.map(async (partition, index) => {
        const end = ends[index]?.hwm ?? 0;
        const records: KafkaMessage[] = [];
        if (end === 0) return records;
        for await (const batch of reader.read(topic, partition, 0, controller.signal)) {
          records.push(...batch.messages.filter((message) => message.offset < end));
          if (batch.nextOffset >= end) break;
        }
        return records;
      }),
    );
    return read.flat();
  } finally {
    controller.abort();
    await Promise.all([reader.disconnect(), admin.disconnect()]);
  }
}

/** The last value per key of a table topic as int64 counts (what a read_committed consumer ends with). */
export function lastCounts(records: readonly KafkaMessage[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const record of records) {
    if (record.key === null) continue;
    const key = record.key.toString('utf8');
    if (record.value === null) counts.delete(key);
    else counts.set(key, codecs.int64.decode(record.value));
  }
  return counts;
}

/** The keys whose count differs from what was emitted, as `key: counted/emitted` (empty when exact). */
export function miscounted(emitted: ReadonlyMap<string, number>, counted: ReadonlyMap<string, number | undefined>): string[] {
  const wrong: string[] = [];
  for (const [key, count] of emitted) {
    const got = counted.get(key);
    if (got !== count) wrong.push(`${key}: ${String(got)}/${count}`);
  }
  return wrong;
}
