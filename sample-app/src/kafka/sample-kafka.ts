import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryKafka, TopicManager } from '@goka/core';
import type { KafkaConnectionOptions } from '@goka/core';
import { KafkajsAdapter } from '@goka/kafkajs';
import { createGokaLogger } from '@goka/nestjs';
import { Logger } from '@nestjs/common';
import type { SampleConfig } from '../config/sample-config.js';
import { KafkaJournal } from './kafka-journal.js';
import { allGroups, streamTopics, tableTopics } from './topics.js';

/** What the app runs against and where its tables live. */
export interface SampleKafkaInfo {
  readonly mode: 'embedded' | 'brokers';
  readonly brokers: readonly string[];
  readonly partitions: number;
  /** RocksDB root of the group tables and views. */
  readonly storagePath: string;
}

/**
 * The app's Kafka: the embedded `MemoryKafka` (with its topics created, and made durable by a
 * {@link KafkaJournal} in the data folder) when no brokers are configured, else the brokers (with
 * the app's topics created when missing). Tables live under a folder per mode, so switching modes
 * never recovers tables against another log.
 */
export class SampleKafka {
  private constructor(
    readonly info: SampleKafkaInfo,
    readonly connection: KafkaConnectionOptions,
    private readonly journal: KafkaJournal | undefined,
  ) {}

  static async open(config: SampleConfig): Promise<SampleKafka> {
    return config.brokers.length === 0 ? SampleKafka.openEmbedded(config) : SampleKafka.openBrokers(config);
  }

  /** Stops journaling (after processors, views and emitters stopped). */
  close(): void {
    this.journal?.close();
  }

  private static openEmbedded(config: SampleConfig): SampleKafka {
    const logger = new Logger('EmbeddedKafka');
    const root = join(config.dataDir, 'embedded');
    const storagePath = join(root, 'tables');
    const kafka = new MemoryKafka();
    for (const topic of streamTopics) {
      kafka.createTopic(topic, { partitions: config.partitions, config: { 'cleanup.policy': 'delete' } });
    }
    for (const topic of tableTopics) {
      kafka.createTopic(topic, { partitions: config.partitions, config: { 'cleanup.policy': 'compact' } });
    }
    const journal = new KafkaJournal(kafka, join(root, 'kafka'), allGroups);
    if (!journal.exists() && existsSync(storagePath)) {
      // Tables without their log cannot recover (their offsets point past the empty topics): they
      // are derived state, so start afresh.
      logger.warn(`no Kafka journal next to the tables in ${storagePath}: removing the tables`);
      rmSync(storagePath, { recursive: true, force: true });
    }
    const replayed = journal.replay(config.partitions);
    journal.start();
    logger.log(
      `embedded in-memory Kafka, ${config.partitions} partitions per topic, journal and tables in ${root}` +
        (replayed.records > 0 ? ` (replayed ${replayed.records} records, offsets of ${replayed.groups} groups)` : ''),
    );
    if (replayed.truncatedTail) logger.warn('dropped a journal record cut short by a crash');
    return new SampleKafka(
      { mode: 'embedded', brokers: [], partitions: config.partitions, storagePath },
      { kafka },
      journal,
    );
  }

  private static async openBrokers(config: SampleConfig): Promise<SampleKafka> {
    const logger = new Logger('Kafka');
    const gokaLogger = createGokaLogger(logger);
    const adapter = new KafkajsAdapter({ brokers: config.brokers, clientId: 'goka-sample-setup', logger: gokaLogger });
    const admin = adapter.createAdmin({ clientId: 'goka-sample-setup' });
    await admin.connect();
    try {
      const topics = new TopicManager(admin, { logger: gokaLogger });
      for (const topic of streamTopics) await topics.ensureStreamExists(topic, config.partitions);
      for (const topic of tableTopics) await topics.ensureTableExists(topic, config.partitions);
    } finally {
      await admin.disconnect();
    }
    logger.log(`Kafka brokers ${config.brokers.join(',')}, tables in ${join(config.dataDir, 'brokers')}`);
    return new SampleKafka(
      {
        mode: 'brokers',
        brokers: config.brokers,
        partitions: config.partitions,
        storagePath: join(config.dataDir, 'brokers', 'tables'),
      },
      { brokers: [...config.brokers], clientId: 'goka-sample' },
      undefined,
    );
  }
}
