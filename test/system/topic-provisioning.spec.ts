import { codecs, defineGroup, Emitter, input, output, persist, Processor, silentLogger, TopicNotFoundError } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { KafkajsAdapter } from '@goka/kafkajs';
import { ConfigResourceTypes } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaClient, systemBrokers, uniqueName } from '../support/kafka.js';

type Ctx = ProcessContext<number>;

/** Counts `inputs` into the table and writes each count to `out`. */
function counter(group: string, inputs: readonly string[], out: string) {
  return defineGroup<Ctx>(
    group,
    ...inputs.map((topic) =>
      input(topic, codecs.string, (ctx: Ctx) => {
        const count = (ctx.value() ?? 0) + 1;
        ctx.setValue(count);
        ctx.emit(out, ctx.key, count);
      }),
    ),
    output(out, codecs.int64),
    persist(codecs.int64),
  );
}

/**
 * Topic provisioning (#17 item 2) on the real broker: `createTopics` of a processor and `createTopic`
 * of an emitter create what is missing, with the copartitioning rule and the given configs, through
 * the kafkajs adapter's admin client.
 */
describe('real broker: topic provisioning (createTopics, createTopic)', () => {
  const brokers = systemBrokers();
  let admin: Admin;
  let kafka: KafkajsAdapter;
  beforeAll(async () => {
    admin = kafkaClient(brokers, 'system-topic-provisioning').admin();
    await admin.connect();
    kafka = new KafkajsAdapter({ brokers, logger: silentLogger });
  });
  afterAll(async () => {
    await admin.disconnect();
  });

  async function described(topic: string): Promise<{ partitions: number; replicas: number; config: Record<string, string | undefined> }> {
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    const partitions = metadata.topics[0]?.partitions ?? [];
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms', 'cleanup.policy'] }],
    });
    const entries = configs.resources[0]?.configEntries ?? [];
    return {
      partitions: partitions.length,
      replicas: partitions[0]?.replicas.length ?? 0,
      config: Object.fromEntries(entries.map((entry) => [entry.configName, entry.configValue])),
    };
  }

  async function runUntilReady(processor: Processor<number>): Promise<void> {
    const run = processor.run();
    try {
      await Promise.race([processor.waitForReady(), run.then(() => Promise.reject(new Error('the processor stopped before it was ready')))]);
    } finally {
      await processor.stop();
      await run.catch(() => undefined);
    }
  }

  it('a processor creates its missing inputs and output; the table is compacted as always', async () => {
    const group = uniqueName('prov');
    const [clicks, views, out] = [uniqueName('prov-clicks'), uniqueName('prov-views'), uniqueName('prov-out')];
    const processor = new Processor(counter(group, [clicks, views], out), {
      kafka,
      logger: silentLogger,
      createTopics: { partitions: 4, replicationFactor: 3, config: { 'retention.ms': '600000' } },
    });
    await runUntilReady(processor);
    for (const topic of [clicks, views, out]) {
      // replication 3 lowered to the one broker
      expect(await described(topic)).toEqual({ partitions: 4, replicas: 1, config: { 'retention.ms': '600000', 'cleanup.policy': 'delete' } });
    }
    expect((await described(`${group}-table`)).config['cleanup.policy']).toBe('compact');
    expect((await described(`${group}-table`)).partitions).toBe(4);
  });

  it('a created input takes the partition count of an existing copartitioned input', async () => {
    const [existing, missing, out] = [uniqueName('prov-existing'), uniqueName('prov-missing'), uniqueName('prov-out')];
    await admin.createTopics({ topics: [{ topic: existing, numPartitions: 6 }], waitForLeaders: true });
    const processor = new Processor(counter(uniqueName('prov'), [existing, missing], out), {
      kafka,
      logger: silentLogger,
      createTopics: { partitions: 2 },
    });
    await runUntilReady(processor);
    expect((await described(missing)).partitions).toBe(6);
    expect((await described(out)).partitions).toBe(6);
  });

  it('an emitter creates its topic only with createTopic, and then emits to it', async () => {
    const topic = uniqueName('prov-emit');
    const plain = new Emitter(topic, codecs.string, { kafka, logger: silentLogger });
    await expect(plain.emit('k', 'v')).rejects.toThrow(TopicNotFoundError);
    await plain.finish();
    const creating = new Emitter(topic, codecs.string, { kafka, logger: silentLogger, createTopic: { partitions: 2, config: { 'retention.ms': '700000' } } });
    const offset = await creating.emit('k', 'v');
    await creating.finish();
    expect(offset.topic).toBe(topic);
    expect(await described(topic)).toEqual({ partitions: 2, replicas: 1, config: { 'retention.ms': '700000', 'cleanup.policy': 'delete' } });
  });
});
