import { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import type { PartitionReader, ReadBatch } from '../kafka/partition-reader.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import type { StorageOp } from '../storage/storage.js';
import type { PartitionState } from '../table/partition-state.js';
import { PartitionTable } from '../table/partition-table.js';
import type { PartitionTableOptions } from '../table/partition-table.js';
import type { GokaLogger } from '../util/logger.js';

/** Shared by the PartitionTable specs (table/partition-table*.spec.ts). */
export const TOPIC = 'clicks-table';
export const b = (text: string): Buffer => Buffer.from(text, 'utf8');

export function produce(kafka: MemoryKafka, records: ReadonlyArray<readonly [string, string | null]>, partition = 0): void {
  kafka.produce(
    records.map(([key, value]) => ({ topic: TOPIC, partition, key: b(key), value: value === null ? null : b(value) })),
  );
}

/**
 * A memory store that counts batch writes, lets a test await an applied offset, and keeps its
 * contents on close (like an on-disk store that a later table reopens).
 */
export class TestStorage extends MemoryStorage {
  writes = 0;
  closes = 0;
  writeFault: Error | undefined;
  #waiters: Array<{ offset: number; resolve: () => void }> = [];

  override async write(ops: readonly StorageOp[], offset?: number): Promise<void> {
    this.writes += 1;
    if (this.writeFault !== undefined) throw this.writeFault;
    await super.write(ops, offset);
    await this.#notify();
  }

  override async setOffset(offset: number): Promise<void> {
    await super.setOffset(offset);
    await this.#notify();
  }

  override async close(): Promise<void> {
    this.closes += 1;
  }

  /** Resolves once the stored offset is at least `offset`. */
  async waitForOffset(offset: number): Promise<void> {
    const stored = await this.getOffset();
    if (stored !== undefined && stored >= offset) return;
    await new Promise<void>((resolve) => this.#waiters.push({ offset, resolve }));
  }

  async #notify(): Promise<void> {
    const stored = (await this.getOffset()) ?? -1;
    this.#waiters = this.#waiters.filter((waiter) => {
      if (waiter.offset > stored) return true;
      waiter.resolve();
      return false;
    });
  }
}

/** Wraps a reader: records where reads start and how many records it handed out; can fail on demand. */
export class SpyReader implements Pick<PartitionReader, 'read'> {
  readonly starts: number[] = [];
  records = 0;
  /** Thrown, one per batch, instead of the next batches. */
  readonly failures: Error[] = [];

  constructor(private readonly inner: PartitionReader) {}

  async *read(topic: string, partition: number, from: number, signal: AbortSignal): AsyncIterable<ReadBatch> {
    this.starts.push(from);
    for await (const batch of this.inner.read(topic, partition, from, signal)) {
      const failure = this.failures.shift();
      if (failure !== undefined) throw failure;
      this.records += batch.messages.length;
      yield batch;
    }
  }
}

function captureLogger(): { logger: GokaLogger; lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string) => {
    lines.push(`${level} ${message}`);
  };
  return { logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }, lines };
}

export interface Fixture {
  kafka: MemoryKafka;
  store: TestStorage;
  reader: SpyReader;
  lines: string[];
  table: (options?: Partial<PartitionTableOptions>) => PartitionTable;
}

export function fixture(partitions = 1): Fixture {
  const kafka = new MemoryKafka();
  kafka.createTopic(TOPIC, { partitions, config: { 'cleanup.policy': 'compact' } });
  const store = new TestStorage({ topic: TOPIC, partition: 0 });
  const reader = new SpyReader(kafka.createReader());
  const { logger, lines } = captureLogger();
  const table = (options: Partial<PartitionTableOptions> = {}): PartitionTable =>
    new PartitionTable({
      topic: TOPIC,
      partition: 0,
      admin: kafka.createAdmin(),
      reader,
      storage: async () => store,
      logger,
      ...options,
    });
  return { kafka, store, reader, lines, table };
}

export function recordStates(table: PartitionTable): PartitionState[] {
  const states: PartitionState[] = [table.state];
  table.states.observe((state) => states.push(state));
  return states;
}

export async function contents(store: MemoryStorage): Promise<Record<string, string>> {
  const entries: Record<string, string> = {};
  for await (const [key, value] of store.iterator()) entries[key] = value.toString('utf8');
  return entries;
}
