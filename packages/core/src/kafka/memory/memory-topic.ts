import type { TopicDescription } from '../admin.js';
import { MemoryPartitionLog } from './memory-partition-log.js';

/** An in-memory topic: its partitions' logs and its config. */
export class MemoryTopic {
  readonly logs: readonly MemoryPartitionLog[];

  constructor(
    readonly name: string,
    partitions: number,
    readonly config: Readonly<Record<string, string>>,
  ) {
    this.logs = Array.from({ length: partitions }, (_, partition) => new MemoryPartitionLog(name, partition));
  }

  describe(): TopicDescription {
    return { topic: this.name, partitions: this.logs.map((log) => log.partition), replicationFactor: 1 };
  }
}
