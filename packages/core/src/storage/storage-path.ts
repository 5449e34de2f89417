import { storageInvalidPartition, storageInvalidTopic } from './storage.messages.js';
import { StorageError } from '../errors/storage-error.js';

/** Kafka's legal topic characters. */
const TOPIC_NAME = /^[A-Za-z0-9._-]+$/;

/**
 * The directory name of one topic-partition's store in Goka's layout: `<topic>.<partition>` (put
 * under a root folder, e.g. `<root>/clicks-table.3`). Throws a `StorageError` for names that could
 * escape the root or break the layout (anything but Kafka topic characters, `.`, `..`) and for
 * partitions that are not non-negative integers.
 */
export function storageDirectoryName(topic: string, partition: number): string {
  if (typeof topic !== 'string' || !TOPIC_NAME.test(topic) || topic === '.' || topic === '..') {
    throw new StorageError(storageInvalidTopic(String(topic)), { topic });
  }
  if (!Number.isSafeInteger(partition) || partition < 0) {
    throw new StorageError(storageInvalidPartition(topic, partition), { topic, partition });
  }
  return `${topic}.${partition}`;
}
