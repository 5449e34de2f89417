import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { codecs, defineGroup, Emitter, input, output, partitionFor, persist, Processor, silentLogger, View } from '@goka/core';
import type { KafkaMessage, ProcessContext } from '@goka/core';
import type { KafkaAdmin } from '@goka/core/kafka';
import { KafkajsAdapter } from '@goka/kafkajs';
import { classpath, findRepoRoot, kafkaPaths, resolveKafkaJars } from '@goka/scripts';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import type { IHeaders, Kafka, Message, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explicitPartitioner, kafkaClient, systemBrokers, uniqueName } from '../support/kafka.js';
import { createTopics, deferred, FAST } from './processor-harness.js';

const run = promisify(execFile);

/** A kafkajs compression codec (what the factories in `CompressionCodecs` return). */
interface KafkajsCodec {
  compress(encoder: { readonly buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

/** One record as the test expects to read it back. */
interface Expected {
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly value: string | null;
  readonly headers?: IHeaders;
}

/**
 * A Java producer on the broker's own kafka-clients jar (Java source-file mode, no build step): writes
 * `count` records `k<i>` → `v<i>` to partition 0 with `compression.type`, batched (linger 100 ms), and
 * prints `<key> <offset>` per record. Java clients frame Snappy the xerial way (snappy-java).
 */
const JAVA_PRODUCER = `
import java.util.*;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.*;
public class CompressedProducer {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", args[0]);
    props.put("compression.type", args[2]);
    props.put("linger.ms", "100");
    props.put("max.block.ms", "20000");
    props.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    props.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    int count = Integer.parseInt(args[3]);
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      for (int i = 0; i < count; i++) sent.add(producer.send(new ProducerRecord<>(args[1], 0, "k" + i, "v" + i)));
      producer.flush();
      for (int i = 0; i < count; i++) System.out.println("k" + i + " " + sent.get(i).get().offset());
    }
  }
}
`;

/**
 * A Java consumer on the same jars: reads every partition of the topics from the start until it has
 * `count` records (or 60 s passed), prints `R<TAB>topic<TAB>partition<TAB>offset<TAB>key<TAB>value` per
 * record (values as UTF-8, `<null>` for a tombstone), then
 * asks the broker for its log directories (DescribeLogDirs) and prints `B<TAB>topic<TAB>codec` for every
 * record batch of those partitions' log segments (the broker keeps the producer's codec).
 */
const JAVA_CONSUMER = `
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.*;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
public class CompressedConsumer {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", args[0]);
    props.put("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    props.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    props.put("enable.auto.commit", "false");
    int count = Integer.parseInt(args[1]);
    List<String> topics = Arrays.asList(args).subList(2, args.length);
    StringBuilder out = new StringBuilder();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props); Admin admin = Admin.create(props)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        for (var info : consumer.partitionsFor(topic)) partitions.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      int read = 0;
      long deadline = System.currentTimeMillis() + 60_000;
      while (read < count && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          read++;
          String value = r.value() == null ? "<null>" : new String(r.value(), StandardCharsets.UTF_8);
          out.append("R\\t").append(r.topic()).append('\\t').append(r.partition()).append('\\t').append(r.offset()).append('\\t')
             .append(new String(r.key(), StandardCharsets.UTF_8)).append('\\t').append(value).append('\\n');
        }
      }
      List<Integer> brokers = new ArrayList<>();
      for (var node : admin.describeCluster().nodes().get()) brokers.add(node.id());
      for (var dirs : admin.describeLogDirs(brokers).allDescriptions().get().values()) {
        for (var dir : dirs.entrySet()) {
          for (TopicPartition tp : dir.getValue().replicaInfos().keySet()) {
            if (!topics.contains(tp.topic())) continue;
            File[] segments = new File(dir.getKey(), tp.topic() + "-" + tp.partition()).listFiles((d, name) -> name.endsWith(".log"));
            if (segments == null) continue;
            for (File segment : segments) {
              try (FileRecords records = FileRecords.open(segment)) {
                for (RecordBatch batch : records.batches()) out.append("B\\t").append(tp.topic()).append('\\t').append(batch.compressionType().name).append('\\n');
              }
            }
          }
        }
      }
    }
    System.out.print(out);
  }
}
`;

interface JavaRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly value: string | null;
}

interface JavaConsumed {
  readonly records: readonly JavaRecord[];
  /** The codec names of the record batches in each topic's log. */
  readonly codecs: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Reads `partition` of `topic` from offset 0 up to the high-water mark with the adapter's reader. */
async function readAll(adapter: KafkajsAdapter, admin: KafkaAdmin, topic: string, partition: number): Promise<KafkaMessage[]> {
  const [offsets] = await admin.offsets(topic, [partition]);
  const hwm = offsets?.hwm ?? 0;
  const reader = adapter.createReader({ clientId: 'compression-reader' });
  const controller = new AbortController();
  const messages: KafkaMessage[] = [];
  try {
    for await (const batch of reader.read(topic, partition, 0, controller.signal)) {
      messages.push(...batch.messages);
      if (batch.nextOffset >= hwm) controller.abort();
    }
  } finally {
    await reader.disconnect();
  }
  return messages;
}

const text = (buffer: Buffer | null): string | null => (buffer === null ? null : buffer.toString('utf8'));

describe('compressed record batches on a real broker', () => {
  let adapter: KafkajsAdapter;
  let admin: KafkaAdmin;
  let kafka: Kafka;
  let producer: Producer;
  /** Batches the kafkajs producer compressed with the registered Snappy codec (so were Snappy on the wire). */
  let snappyBatches = 0;
  let registered: () => KafkajsCodec;

  beforeAll(async () => {
    // Loading @goka/core registered the Snappy codec: kafkajs' placeholder would throw "not implemented".
    registered = CompressionCodecs[CompressionTypes.Snappy] as () => KafkajsCodec;
    // Count what the kafkajs producer compresses with it, to know the batches really were Snappy on the wire
    // (our reader decompresses with its own codecs, not kafkajs' table).
    CompressionCodecs[CompressionTypes.Snappy] = () => {
      const codec = registered();
      return {
        compress: (encoder: { readonly buffer: Buffer }) => {
          snappyBatches += 1;
          return codec.compress(encoder);
        },
        decompress: (buffer: Buffer) => codec.decompress(buffer),
      };
    };
    adapter = new KafkajsAdapter({ brokers: systemBrokers(), logger: silentLogger });
    admin = adapter.createAdmin({ clientId: 'compression-admin' });
    await admin.connect();
    kafka = kafkaClient(systemBrokers(), 'system-compression');
    producer = kafka.producer({ createPartitioner: explicitPartitioner });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
    if (registered !== undefined) CompressionCodecs[CompressionTypes.Snappy] = registered;
  });

  it('registers a working Snappy codec with kafkajs when @goka/core loads', async () => {
    const codec = registered();
    const original = Buffer.from('goka '.repeat(100));
    const compressed = await codec.compress({ buffer: original });
    expect(compressed.length).toBeLessThan(original.length);
    expect((await codec.decompress(compressed)).equals(original)).toBe(true);
  });

  /** Sends `batches` batches of 5 records per partition with `compression`; returns what each record is. */
  async function produce(topic: string, compression: CompressionTypes, partitions: number, batches: number): Promise<Expected[]> {
    const expected: Expected[] = [];
    for (let b = 0; b < batches; b++) {
      for (let partition = 0; partition < partitions; partition++) {
        const messages: Array<Message & { partition: number }> = Array.from({ length: 5 }, (_, i) => {
          const n = b * 5 + i;
          // A tombstone, an empty value and headers ride along; values compress well (repeated text).
          const value = n === 3 ? null : n === 4 ? '' : `value-${partition}-${n}-${'goka '.repeat(20)}`;
          return { partition, key: `key-${partition}-${n}`, value, headers: { n: String(n) } };
        });
        const [ack] = await producer.send({ topic, acks: -1, compression, messages });
        expect(ack?.partition).toBe(partition);
        const base = Number(ack?.baseOffset);
        messages.forEach((m, i) =>
          expected.push({
            partition,
            offset: base + i,
            key: String(m.key),
            value: m.value === null || m.value === undefined ? null : String(m.value),
            headers: m.headers,
          }),
        );
      }
    }
    return expected;
  }

  // kafkajs(-snappy) writes raw Snappy blocks, without the xerial framing: as sarama, so Go Goka by default.
  it.each([
    { name: 'Snappy', compression: CompressionTypes.Snappy },
    { name: 'GZIP', compression: CompressionTypes.GZIP },
  ])('the reader returns every record of $name batches from a kafkajs producer: keys, values, headers, offsets', async ({ name, compression }) => {
    const topic = uniqueName(`compression-${name.toLowerCase()}`);
    await admin.createTopic({ topic, partitions: 2, replicationFactor: 1 });
    const snappyBefore = snappyBatches;
    const expected = await produce(topic, compression, 2, 3);

    for (const partition of [0, 1]) {
      const read = await readAll(adapter, admin, topic, partition);
      expect(read.map((m) => ({ partition: m.partition, offset: m.offset, key: text(m.key), value: text(m.value), n: text(m.headers['n'] ?? null) }))).toEqual(
        expected
          .filter((e) => e.partition === partition)
          .map((e) => ({ partition: e.partition, offset: e.offset, key: e.key, value: e.value, n: String(e.headers?.['n']) })),
      );
    }
    // Three batches per partition, each compressed by the producer (Snappy only).
    if (compression === CompressionTypes.Snappy) expect(snappyBatches - snappyBefore).toBeGreaterThanOrEqual(6);
    else expect(snappyBatches).toBe(snappyBefore);
  });

  it('a View recovers a table that a Snappy-compressing producer wrote (Goka\'s default) and follows new Snappy batches', async () => {
    const table = uniqueName('compression-table');
    const partitions = 3;
    await admin.createTopic({ topic: table, partitions, replicationFactor: 1, config: { 'cleanup.policy': 'compact' } });
    const write = async (entries: ReadonlyArray<readonly [string, number]>): Promise<void> => {
      const messages = entries.map(([key, value]) => ({
        key,
        value: codecs.int64.encode(value),
        partition: partitionFor(key, partitions),
      }));
      await producer.send({ topic: table, acks: -1, compression: CompressionTypes.Snappy, messages });
    };
    const snappyBefore = snappyBatches;
    await write(Array.from({ length: 30 }, (_, i) => [`user-${i}`, i] as const));

    const view = new View(table, codecs.int64, { kafka: adapter, logger: silentLogger });
    const running = view.run();
    await view.waitRunning();
    expect(await Promise.all(Array.from({ length: 30 }, (_, i) => view.get(`user-${i}`)))).toEqual(
      Array.from({ length: 30 }, (_, i) => i),
    );
    expect(snappyBatches - snappyBefore).toBeGreaterThanOrEqual(1);

    await write([
      ['user-1', 100],
      ['user-2', 200],
    ]);
    await expect.poll(() => view.get('user-2'), { timeout: 30_000 }).toBe(200);
    expect(await view.get('user-1')).toBe(100);
    await view.stop();
    await running;
  });

  describe('interop with the Java client (kafka-clients of the broker jars)', () => {
    let dir: string;
    let libs: string;

    beforeAll(async () => {
      const root = findRepoRoot();
      libs = await resolveKafkaJars(root, kafkaPaths(root, 'single').pom);
      dir = await mkdtemp(join(tmpdir(), 'goka-java-clients-'));
      await writeFile(join(dir, 'CompressedProducer.java'), JAVA_PRODUCER);
      await writeFile(join(dir, 'CompressedConsumer.java'), JAVA_CONSUMER);
    });

    afterAll(async () => {
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    });

    async function java(program: string, args: readonly string[]): Promise<string> {
      const home = process.env['JAVA_HOME'];
      const binary = home !== undefined && home !== '' ? join(home, 'bin', 'java') : 'java';
      const { stdout } = await run(binary, ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-cp', classpath(libs), join(dir, program), ...args], {
        timeout: 90_000,
        maxBuffer: 16 * 1024 * 1024,
      });
      return stdout;
    }

    /** Runs the Java producer; returns the offset the broker gave each key. */
    async function javaProduce(topic: string, compression: string, count: number): Promise<Map<string, number>> {
      const stdout = await java('CompressedProducer.java', [systemBrokers().join(','), topic, compression, String(count)]);
      const offsets = new Map<string, number>();
      for (const line of stdout.trim().split('\n')) {
        const [key, offset] = line.split(' ');
        if (key !== undefined && offset !== undefined) offsets.set(key, Number(offset));
      }
      expect(offsets.size).toBe(count);
      return offsets;
    }

    /** What the Java consumer read from `topics` (waiting for `count` records) and the codec of every batch in their logs. */
    async function javaConsume(topics: readonly string[], count: number): Promise<JavaConsumed> {
      const stdout = await java('CompressedConsumer.java', [systemBrokers().join(','), String(count), ...topics]);
      const records: JavaRecord[] = [];
      const batchCodecs = new Map<string, Set<string>>();
      for (const line of stdout.split('\n')) {
        const fields = line.split('\t');
        if (fields[0] === 'R') {
          const [, topic = '', partition = '', offset = '', key = '', value = ''] = fields;
          records.push({ topic, partition: Number(partition), offset: Number(offset), key, value: value === '<null>' ? null : value });
        } else if (fields[0] === 'B') {
          const [, topic = '', codec = ''] = fields;
          let set = batchCodecs.get(topic);
          if (set === undefined) batchCodecs.set(topic, (set = new Set()));
          set.add(codec);
        }
      }
      return { records, codecs: batchCodecs };
    }

    it.each(['gzip', 'snappy', 'lz4', 'zstd'])(
      'records a Java producer wrote with %s are read by our reader, consumed by a Processor and served by a View',
      async (compression) => {
        const topic = uniqueName(`compression-java-${compression}`);
        await admin.createTopic({ topic, partitions: 1, replicationFactor: 1, config: { 'cleanup.policy': 'compact' } });
        const offsets = await javaProduce(topic, compression, 50);
        const expected = Array.from({ length: 50 }, (_, i) => [`k${i}`, `v${i}`, offsets.get(`k${i}`)]);

        const read = await readAll(adapter, admin, topic, 0);
        expect(read.map((m) => [text(m.key), text(m.value), m.offset])).toEqual(expected);

        const seen: Array<[string, string, number]> = [];
        const all = deferred();
        const group = uniqueName(`compression-java-${compression}-group`);
        const graph = defineGroup<ProcessContext<unknown>>(
          group,
          input(topic, codecs.string, (ctx: ProcessContext<unknown>, value: string) => {
            seen.push([ctx.key, value, ctx.offset]);
            if (seen.length === 50) all.resolve();
          }),
        );
        const processor = new Processor(graph, { kafka: adapter, ...FAST });
        const running = processor.run();
        await all.promise;
        await processor.stop();
        await running;
        expect(seen).toEqual(expected);

        const view = new View(topic, codecs.string, { kafka: adapter, logger: silentLogger });
        const viewing = view.run();
        await view.waitRunning();
        expect(await Promise.all(Array.from({ length: 50 }, (_, i) => view.get(`k${i}`)))).toEqual(Array.from({ length: 50 }, (_, i) => `v${i}`));
        await view.stop();
        await viewing;
      },
    );

    it.each(['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const)(
      'records our Emitter and a Processor (outputs and group table) wrote with %s are read back by the Java consumer, batches in that codec',
      async (compression) => {
        const emitted = uniqueName(`compression-emit-${compression}`);
        const out = uniqueName(`compression-out-${compression}`);
        const group = uniqueName(`compression-proc-${compression}`);
        await createTopics(systemBrokers(), [
          { topic: emitted, partitions: 2 },
          { topic: out, partitions: 2 },
        ]);
        const value = (i: number): string => `value-${i}-${'goka '.repeat(20)}`;
        const emitter = new Emitter(emitted, codecs.string, { kafka: adapter, logger: silentLogger, compression });
        await Promise.all(Array.from({ length: 40 }, (_, i) => emitter.emit(`key-${i}`, value(i))));
        await emitter.finish();

        // The processor reads what the emitter wrote, emits it upper-cased and keeps its length in the table.
        const graph = defineGroup<ProcessContext<number>>(
          group,
          input(emitted, codecs.string, (ctx: ProcessContext<number>, written: string) => {
            ctx.emit(out, ctx.key, written.toUpperCase());
            ctx.setValue(written.length);
          }),
          output(out, codecs.string),
          persist(codecs.int64),
        );
        const processor = new Processor(graph, { kafka: adapter, ...FAST, compression });
        const running = processor.run();
        await processor.waitForReady();
        const table = `${group}-table`;
        // The Java consumer polls until it has all 120 records (40 emitted, 40 outputs, 40 table writes).
        const consumed = await javaConsume([emitted, out, table], 120);
        await processor.stop();
        await running;

        const byTopic = (topic: string): Array<[string, string | null]> =>
          consumed.records
            .filter((r) => r.topic === topic)
            .map((r): [string, string | null] => [r.key, r.value])
            .sort(([a], [b]) => a.localeCompare(b));
        const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`).sort();
        const index = (key: string): number => Number(key.slice(4));
        expect(byTopic(emitted)).toEqual(keys.map((key) => [key, value(index(key))]));
        expect(byTopic(out)).toEqual(keys.map((key) => [key, value(index(key)).toUpperCase()]));
        // Goka's int64 codec writes decimal text.
        expect(byTopic(table)).toEqual(keys.map((key) => [key, String(value(index(key)).length)]));
        for (const topic of [emitted, out, table]) expect([topic, [...(consumed.codecs.get(topic) ?? [])]]).toEqual([topic, [compression]]);
      },
    );
  });
});
