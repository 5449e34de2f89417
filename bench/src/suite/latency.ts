import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { codecs, Emitter, silentLogger, tableName, View } from '@goka/core';
import type { UpdateCallback } from '@goka/core';
import { KafkajsAdapter } from '@goka/kafkajs';
import { rocksDbStorageFactory } from '@goka/storage-rocksdb';
import kafkajs from 'kafkajs';
import { createTopic, kafkajsAdmin } from '../pipeline/phases.js';
import { now, withTimeout } from '../support/measure.js';
import { WorkerProcess } from '../support/worker.js';
import type { ExactlyOnceLatency, LatencyPath, LatencyResult, LatencySpec } from './latency-model.js';
import { LatencyTimes } from './latency-times.js';

/**
 * Ours: Emitter (this process) → input topic → counting Processor (child process, RocksDB) → group
 * table → View (this process, RocksDB). A message is visible when the View's update callback has put
 * its key into the View's storage (a hook, no polling); each message has its own key (count 1).
 *
 * With `exactlyOnce` the processor runs with `guarantee: 'exactly-once'` and that commit interval; the
 * View reads `read_committed` (its default, set explicitly here), so a table write becomes visible only
 * once the processor's transaction committed — what any read_committed reader of the output sees.
 */
async function ours(spec: LatencySpec, exactlyOnce?: { readonly commitIntervalMs: number }): Promise<ExactlyOnceLatency> {
  const group = `bench-latency-${exactlyOnce === undefined ? '' : 'eos-'}${randomUUID().slice(0, 8)}`;
  const topic = `${group}-input`;
  await createTopic(spec.brokers, topic, spec.partitions);
  const times = new LatencyTimes(spec);
  const worker = await WorkerProcess.spawn(
    {
      mode: 'count',
      brokers: spec.brokers,
      topic,
      group,
      storagePath: join(spec.storageRoot, `${group}-processor`),
      commitIntervalMs: exactlyOnce?.commitIntervalMs ?? 200,
      ...(exactlyOnce === undefined ? {} : { guarantee: 'exactly-once' as const }),
      fetchPartitionBytes: undefined,
      clientId: 'bench-latency-processor',
    },
    group,
  );
  const updateCallback: UpdateCallback = async (context, storage, key, value) => {
    if (value === null) await storage.delete(key);
    else await storage.set(key, value);
    times.seen(key, context.timestamp);
  };
  const view = new View(tableName(group), codecs.int64, {
    brokers: [...spec.brokers],
    clientId: 'bench-latency-view',
    logger: silentLogger,
    storage: rocksDbStorageFactory({ path: join(spec.storageRoot, `${group}-view`) }),
    updateCallback,
    isolationLevel: 'read_committed',
  });
  const emitter = new Emitter(topic, codecs.bytes, {
    kafka: new KafkajsAdapter({ brokers: spec.brokers, clientId: 'bench-latency-emitter', logger: silentLogger }),
    logger: silentLogger,
  });
  let viewRun: Promise<void> | undefined;
  try {
    await withTimeout('the latency processor', 120_000, worker.start());
    viewRun = view.run();
    viewRun.catch(() => undefined);
    await withTimeout('the latency view', 120_000, view.waitRunning());
    await emitter.start();
    const { path, stopped } = await times.measureWith(
      spec,
      exactlyOnce === undefined
        ? 'ours: Emitter → Processor (child) → View'
        : `ours, exactly-once (commit ${exactlyOnce.commitIntervalMs} ms): Emitter → Processor (child) → View (read_committed)`,
      exactlyOnce === undefined ? 'ours' : `ours-eos-${exactlyOnce.commitIntervalMs}`,
      (key, value) => emitter.emit(key, value),
      () => worker.stop(),
    );
    return { ...path, commitIntervalMs: exactlyOnce?.commitIntervalMs ?? 200, transactions: stopped.transactions };
  } finally {
    worker.kill();
    await emitter.finish().catch(() => undefined);
    await view.stop();
    await viewRun?.catch(() => undefined);
    const admin = kafkajsAdmin(spec.brokers, 'bench-latency-cleanup');
    await admin.connect();
    await admin.deleteTopics({ topics: [topic, tableName(group)] }).catch(() => undefined);
    await admin.deleteGroups([group]).catch(() => undefined);
    await admin.disconnect();
  }
}

/**
 * The reference: kafkajs producer (this process, one `send` per message) → input topic → raw kafkajs
 * relay (child process: eachBatch, sendBatch, commit) → output topic → kafkajs consumer (this process,
 * eachBatch). The same two hops through the broker as ours, with the plain client.
 */
async function raw(spec: LatencySpec): Promise<LatencyPath> {
  const name = `bench-latency-raw-${randomUUID().slice(0, 8)}`;
  const topic = `${name}-input`;
  const output = `${name}-output`;
  await createTopic(spec.brokers, topic, spec.partitions);
  await createTopic(spec.brokers, output, spec.partitions);
  const times = new LatencyTimes(spec);
  const worker = await WorkerProcess.spawn({ mode: 'relay', brokers: spec.brokers, topic, output, group: `${name}-relay`, sendRecords: 2000, concurrency: spec.partitions }, `${name} relay`);
  const kafka = new kafkajs.Kafka({ clientId: 'bench-latency-raw', brokers: [...spec.brokers], logLevel: kafkajs.logLevel.ERROR });
  const producer = kafka.producer();
  const sink = kafka.consumer({ groupId: `${name}-sink` });
  let joined!: () => void;
  const sinkJoined = new Promise<void>((resolve) => {
    joined = resolve;
  });
  sink.on(sink.events.GROUP_JOIN, () => joined());
  try {
    await withTimeout('the latency relay', 120_000, worker.start());
    await Promise.all([producer.connect(), sink.connect()]);
    await sink.subscribe({ topic: output, fromBeginning: true });
    await sink.run({
      autoCommit: false,
      partitionsConsumedConcurrently: spec.partitions,
      eachBatch: async ({ batch }) => {
        const at = now();
        const epoch = Date.now();
        for (const message of batch.messages) times.seen(message.key?.toString('latin1') ?? '', Number(message.timestamp), at, epoch);
      },
    });
    await withTimeout('the latency sink', 60_000, sinkJoined);
    return await times.measure(
      spec,
      'raw kafkajs: producer → relay (child) → consumer',
      'raw',
      (key, value) => producer.send({ topic, messages: [{ key, value }] }),
      () => worker.stop(),
    );
  } finally {
    worker.kill();
    await Promise.allSettled([producer.disconnect(), sink.disconnect()]);
    const admin = kafkajsAdmin(spec.brokers, 'bench-latency-cleanup');
    await admin.connect();
    await admin.deleteTopics({ topics: [topic, output] }).catch(() => undefined);
    await admin.deleteGroups([`${name}-relay`, `${name}-sink`]).catch(() => undefined);
    await admin.disconnect();
  }
}

/** Seconds each path runs unmeasured before the first measured one. */
const WARM_UP_SECONDS = 10;

/** (4) Latency at a fixed rate: ours, ours exactly-once (per commit interval), then the raw kafkajs reference, on the same broker. */
export async function latencySuite(spec: LatencySpec): Promise<LatencyResult> {
  // A broker fresh from the bulk phases has its small-request code paths cold (on a just-started broker,
  // 1,000 single-record sends per second were acknowledged after a second at first, in under a
  // millisecond once warm): without this the first path measured pays for all of them.
  spec.log(`  broker warm-up: each path once for ${WARM_UP_SECONDS} s, not measured`);
  const warmUp: LatencySpec = { ...spec, seconds: WARM_UP_SECONDS, warmupSeconds: 0, eosCommitIntervalsMs: [] };
  await ours(warmUp);
  await raw(warmUp);
  const { commitIntervalMs: _interval, transactions: _none, ...oursResult } = await ours(spec);
  spec.log(`  ours: p50 ${oursResult.endToEnd.p50} ms, p99 ${oursResult.endToEnd.p99} ms, max ${oursResult.endToEnd.max} ms`);
  const exactlyOnce: ExactlyOnceLatency[] = [];
  for (const commitIntervalMs of spec.eosCommitIntervalsMs ?? []) {
    const result = await ours(spec, { commitIntervalMs });
    spec.log(`  ours, exactly-once (commit ${commitIntervalMs} ms): p50 ${result.endToEnd.p50} ms, p99 ${result.endToEnd.p99} ms, max ${result.endToEnd.max} ms`);
    exactlyOnce.push(result);
  }
  const rawResult = await raw(spec);
  spec.log(`  raw:  p50 ${rawResult.endToEnd.p50} ms, p99 ${rawResult.endToEnd.p99} ms, max ${rawResult.endToEnd.max} ms`);
  return { ours: oursResult, exactlyOnce, raw: rawResult };
}
