import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { KafkaMessage, MemoryKafka } from '@goka/core';
import type { CommitOffset } from '@goka/core/kafka';

/** One journaled record: topic, partition, offset, key, value, headers (base64) and timestamp. */
interface JournalLine {
  readonly t: string;
  readonly p: number;
  readonly o: number;
  readonly k: string | null;
  readonly v: string | null;
  readonly h: Readonly<Record<string, string>>;
  readonly ts: number;
}

type GroupOffsets = Record<string, CommitOffset[]>;

/** What {@link KafkaJournal.replay} restored. */
export interface ReplayResult {
  readonly records: number;
  /** A trailing line that was cut short by a crash and dropped. */
  readonly truncatedTail: boolean;
  readonly groups: number;
}

const LOG_FILE = 'log.jsonl';
const OFFSETS_FILE = 'offsets.json';

function toBase64(buffer: Buffer | null): string | null {
  return buffer === null ? null : buffer.toString('base64');
}

function fromBase64(text: string | null): Buffer | null {
  return text === null ? null : Buffer.from(text, 'base64');
}

function isJournalLine(value: unknown): value is JournalLine {
  if (typeof value !== 'object' || value === null) return false;
  const line = value as Record<string, unknown>;
  return typeof line['t'] === 'string' && typeof line['p'] === 'number' && typeof line['o'] === 'number';
}

/**
 * Makes the embedded `MemoryKafka` survive restarts: every record appended to any topic is written
 * (synchronously, before the producer's send resolves) to `<dir>/log.jsonl`, and the committed
 * offsets of the app's consumer groups are snapshotted to `<dir>/offsets.json` every second and at
 * shutdown. At startup {@link replay} appends the journaled records again, at the same offsets, and
 * restores the committed offsets, so the RocksDB tables (whose stored offsets point into these
 * topics) recover as they would against a real broker, and processors resume where they committed.
 */
export class KafkaJournal {
  private fd: number | undefined;
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastOffsets = '';

  constructor(
    private readonly kafka: MemoryKafka,
    private readonly dir: string,
    private readonly groups: readonly string[],
  ) {}

  /** Whether a journal exists in the folder. */
  exists(): boolean {
    return existsSync(join(this.dir, LOG_FILE));
  }

  /**
   * Appends the journaled records to their (already created) topics and restores the committed
   * offsets. Call before anything produces or consumes, then {@link start}.
   */
  replay(partitionsOfNewTopics: number): ReplayResult {
    const logPath = join(this.dir, LOG_FILE);
    let records = 0;
    let truncatedTail = false;
    let truncatedIndex = -1;
    if (existsSync(logPath)) {
      const lines = readFileSync(logPath, 'utf8').split('\n');
      lines.forEach((text, index) => {
        if (text.length === 0) return;
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch (error) {
          // Only the last line can be cut short (a crash while writing it): drop it.
          if (index >= lines.length - 2) {
            truncatedTail = true;
            truncatedIndex = index;
            return;
          }
          throw new Error(`corrupt Kafka journal ${logPath} at line ${index + 1}`, { cause: error });
        }
        if (!isJournalLine(parsed)) throw new Error(`corrupt Kafka journal ${logPath} at line ${index + 1}`);
        this.append(parsed, partitionsOfNewTopics);
        records += 1;
      });
      if (truncatedTail) this.rewrite(logPath, lines.filter((text, index) => index !== truncatedIndex && text.length > 0));
    }
    const groups = this.restoreOffsets();
    return { records, truncatedTail, groups };
  }

  /** Starts journaling appended records and snapshotting committed offsets. */
  start(snapshotIntervalMs = 1000): void {
    mkdirSync(this.dir, { recursive: true });
    this.fd = openSync(join(this.dir, LOG_FILE), 'a');
    this.unsubscribe = this.kafka.onAppend((message) => this.write(message));
    this.timer = setInterval(() => this.snapshotOffsets(), snapshotIntervalMs);
    this.timer.unref();
  }

  /** Writes the last offsets snapshot and closes the journal (after processors and emitters stopped). */
  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.fd !== undefined) {
      this.snapshotOffsets();
      closeSync(this.fd);
      this.fd = undefined;
    }
  }

  private write(message: KafkaMessage): void {
    if (this.fd === undefined) return;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(message.headers)) headers[name] = value.toString('base64');
    const line: JournalLine = {
      t: message.topic,
      p: message.partition,
      o: message.offset,
      k: toBase64(message.key),
      v: toBase64(message.value),
      h: headers,
      ts: message.timestamp,
    };
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
  }

  private append(line: JournalLine, partitionsOfNewTopics: number): void {
    if (this.kafka.describeTopic(line.t) === undefined) this.kafka.createTopic(line.t, { partitions: partitionsOfNewTopics });
    const partitions = this.kafka.topic(line.t).logs.length;
    if (line.p >= partitions) {
      throw new Error(
        `the Kafka journal has partition ${line.p} of topic ${line.t}, which has ${partitions} partitions now ` +
          `(PARTITIONS changed?): delete the data folder ${this.dir}/.. to start afresh`,
      );
    }
    const headers: Record<string, Buffer> = {};
    for (const [name, value] of Object.entries(line.h)) headers[name] = Buffer.from(value, 'base64');
    const stored = this.kafka
      .partitionLog(line.t, line.p)
      .append({ key: fromBase64(line.k), value: fromBase64(line.v), headers, timestamp: line.ts });
    if (stored.offset !== line.o) {
      throw new Error(`Kafka journal out of order: ${line.t}/${line.p} offset ${line.o} replayed at ${stored.offset}`);
    }
  }

  private rewrite(path: string, lines: readonly string[]): void {
    writeFileSync(`${path}.tmp`, lines.map((text) => `${text}\n`).join(''));
    renameSync(`${path}.tmp`, path);
  }

  private restoreOffsets(): number {
    const path = join(this.dir, OFFSETS_FILE);
    if (!existsSync(path)) return 0;
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as GroupOffsets;
    let restored = 0;
    for (const [group, offsets] of Object.entries(parsed)) {
      if (offsets.length === 0) continue;
      this.kafka.group(group).store(offsets);
      restored += 1;
    }
    this.lastOffsets = JSON.stringify(parsed);
    return restored;
  }

  private snapshotOffsets(): void {
    const snapshot: GroupOffsets = {};
    for (const group of this.groups) {
      const offsets: CommitOffset[] = [];
      for (const [topic, partitions] of this.kafka.group(group).offsets()) {
        for (const [partition, offset] of partitions) offsets.push({ topic, partition, offset });
      }
      snapshot[group] = offsets;
    }
    const text = JSON.stringify(snapshot);
    if (text === this.lastOffsets) return;
    const path = join(this.dir, OFFSETS_FILE);
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
    this.lastOffsets = text;
  }
}
