import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { ICustomPartitioner, KafkaConfig } from 'kafkajs';
import { inject } from 'vitest';

/** The broker list the global setup checked (KAFKA_BROKERS or 127.0.0.1:9092). */
export function systemBrokers(): string[] {
  return inject('kafkaBrokers');
}

/** A topic or group name no other test (or earlier run against the same broker) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/**
 * Every test message names its partition; this partitioner only answers for the rest (partition 0), so
 * kafkajs' murmur2 default is never used and its partitioner warning stays quiet.
 */
export const explicitPartitioner: ICustomPartitioner = () => ({ message }) => message.partition ?? 0;

/** A kafkajs client for tests: ERROR-level logs only, short connection timeouts. */
export function kafkaClient(brokers: readonly string[], clientId: string, extra: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId,
    brokers: [...brokers],
    logLevel: logLevel.ERROR,
    connectionTimeout: 3000,
    ...extra,
  });
}
