import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { codecs, KafkajsAdapter, partitionFor, PartitionReadError, silentLogger, View } from '@goka/core';
import type { KafkaAdmin, KafkaMessage } from '@goka/core';
import { classpath, findRepoRoot, kafkaPaths, resolveKafkaJars } from '@goka/scripts';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import type { IHeaders, Kafka, Message, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explicitPartitioner, kafkaClient, systemBrokers, uniqueName } from '../support/kafka.js';

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
  let snappyBatches = 0;
  let registered: () => KafkajsCodec;

  beforeAll(async () => {
    // Loading @goka/core registered the Snappy codec: kafkajs' placeholder would throw "not implemented".
    registered = CompressionCodecs[CompressionTypes.Snappy] as () => KafkajsCodec;
    // Count what the registered codec decompresses, to know the batches really were Snappy on the wire.
    CompressionCodecs[CompressionTypes.Snappy] = () => {
      const codec = registered();
      return {
        compress: (encoder: { readonly buffer: Buffer }) => codec.compress(encoder),
        decompress: (buffer: Buffer) => {
          snappyBatches += 1;
          return codec.decompress(buffer);
        },
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
    const input = Buffer.from('goka '.repeat(100));
    const compressed = await codec.compress({ buffer: input });
    expect(compressed.length).toBeLessThan(input.length);
    expect((await codec.decompress(compressed)).equals(input)).toBe(true);
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
    // Three batches per partition, each decompressed once per read (Snappy only).
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

  describe('batches from a Java producer (kafka-clients of the broker jars)', () => {
    let dir: string;
    let libs: string;

    beforeAll(async () => {
      const root = findRepoRoot();
      libs = await resolveKafkaJars(root, kafkaPaths(root, 'single').pom);
      dir = await mkdtemp(join(tmpdir(), 'goka-java-producer-'));
      await writeFile(join(dir, 'CompressedProducer.java'), JAVA_PRODUCER);
    });

    afterAll(async () => {
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    });

    /** Runs the Java producer; returns the offset the broker gave each key. */
    async function javaProduce(topic: string, compression: string, count: number): Promise<Map<string, number>> {
      const home = process.env['JAVA_HOME'];
      const java = home !== undefined && home !== '' ? join(home, 'bin', 'java') : 'java';
      const { stdout } = await run(
        java,
        ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-cp', classpath(libs), join(dir, 'CompressedProducer.java'), systemBrokers().join(','), topic, compression, String(count)],
        { timeout: 60_000 },
      );
      const offsets = new Map<string, number>();
      for (const line of stdout.trim().split('\n')) {
        const [key, offset] = line.split(' ');
        if (key !== undefined && offset !== undefined) offsets.set(key, Number(offset));
      }
      expect(offsets.size).toBe(count);
      return offsets;
    }

    it('the reader decodes Snappy in the xerial framing of Java clients', async () => {
      const topic = uniqueName('compression-java-snappy');
      await admin.createTopic({ topic, partitions: 1, replicationFactor: 1 });
      const snappyBefore = snappyBatches;
      const offsets = await javaProduce(topic, 'snappy', 50);
      const read = await readAll(adapter, admin, topic, 0);
      expect(read.map((m) => [text(m.key), text(m.value), m.offset])).toEqual(
        Array.from({ length: 50 }, (_, i) => [`k${i}`, `v${i}`, offsets.get(`k${i}`)]),
      );
      expect(snappyBatches - snappyBefore).toBeGreaterThanOrEqual(1);
    });

    it.each(['lz4', 'zstd'])('%s batches (not supported by kafkajs) fail read() with a PartitionReadError naming the codec', async (compression) => {
      const topic = uniqueName(`compression-java-${compression}`);
      await admin.createTopic({ topic, partitions: 1, replicationFactor: 1 });
      await javaProduce(topic, compression, 5);
      const error = await readAll(adapter, admin, topic, 0).then(
        () => new Error(`reading ${compression} batches succeeded`),
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(PartitionReadError);
      expect((error as PartitionReadError).topic).toBe(topic);
      expect((error as Error).message).toContain(`${compression.toUpperCase()} compression not implemented`);
    });
  });
});
