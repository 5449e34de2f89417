import type { Admin, Kafka } from 'kafkajs';
import { uniqueName } from './kafka.js';
import type { Received } from './collect.js';

/**
 * Reads partition 0 of `topic` from its start up to the high-water mark seen when called, with a fresh
 * consumer group, and resolves with what is there now (after compaction, what the cleaner left).
 */
export async function readPartitionZero(kafka: Kafka, admin: Admin, topic: string, timeoutMs = 30_000): Promise<Received[]> {
  const high = Number((await admin.fetchTopicOffsets(topic)).find((o) => o.partition === 0)?.high ?? '0');
  if (high === 0) return [];
  const consumer = kafka.consumer({ groupId: uniqueName('sys-read') });
  await consumer.connect();
  const seen: Received[] = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`read ${seen.length} records of ${topic} below ${high} in ${timeoutMs} ms`)), timeoutMs);
      void consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            if (partition !== 0) return;
            seen.push({
              partition,
              offset: message.offset,
              key: message.key?.toString('utf8') ?? '',
              value: message.value?.toString('utf8') ?? '',
            });
            if (Number(message.offset) >= high - 1) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return seen.filter((m) => Number(m.offset) < high);
}
