import { CommitFailedError, silentLogger, streamLogger } from '@goka/core';
import type { GokaLogger, KafkaMessage } from '@goka/core';
import type { CommitOffset, GroupHandler, GroupSession } from '@goka/core/kafka';

/** GROUP_TEST_LOG=1 prints the members' log lines (debug level). */
export const logger: GokaLogger = process.env['GROUP_TEST_LOG'] === undefined ? silentLogger : streamLogger('debug');

/** Orders events across all members of a test. */
let sequence = 0;

export interface SetupEvent {
  readonly kind: 'assigned' | 'assigned-done';
  readonly seq: number;
  readonly generation: number;
  readonly memberId: string;
  readonly assignment: number[];
}
export interface EndEvent {
  readonly kind: 'revoked' | 'revoked-done';
  readonly seq: number;
  readonly generation: number;
  readonly memberId: string;
}
export interface BatchEvent {
  readonly kind: 'batch';
  readonly seq: number;
  readonly generation: number;
  readonly memberId: string;
  readonly partition: number;
  readonly offsets: number[];
  readonly values: string[];
}
export type GroupEvent = SetupEvent | EndEvent | BatchEvent;
export interface EventsByKind {
  readonly assigned: SetupEvent;
  readonly 'assigned-done': SetupEvent;
  readonly revoked: EndEvent;
  readonly 'revoked-done': EndEvent;
  readonly batch: BatchEvent;
}

export interface RecorderBehaviour {
  /** Commit the next offset after every batch. */
  readonly commitBatches?: boolean;
  /** In `revoked`, commit the next offset of every assigned partition this member has read. */
  readonly commitInRevoked?: boolean;
  /** Runs inside `assigned` (before it resolves). */
  readonly onAssigned?: (session: GroupSession) => Promise<void>;
  /** Runs inside `revoked`, before its commit. */
  readonly onRevoked?: (session: GroupSession) => Promise<void>;
  /** Runs before a batch is recorded; throwing rejects the batch. */
  readonly onBatch?: (messages: readonly KafkaMessage[]) => void;
}

/**
 * A group handler that records what happens (with a global order) and lets a test await a condition
 * on the recorded events: each event re-checks the waiting conditions, no polling.
 */
export class Recorder implements GroupHandler {
  readonly events: GroupEvent[] = [];
  /** Commits refused with CommitFailedError. */
  commitsRefused = 0;
  /** Highest offset read per partition. */
  private readonly read = new Map<number, number>();
  private waiters: Array<() => void> = [];

  constructor(private readonly behaviour: RecorderBehaviour = {}) {}

  async assigned(session: GroupSession): Promise<void> {
    this.record({ kind: 'assigned', ...this.at(session), assignment: partitionsOf(session) });
    await this.behaviour.onAssigned?.(session);
    this.record({ kind: 'assigned-done', ...this.at(session), assignment: partitionsOf(session) });
  }

  async batch(session: GroupSession, topic: string, partition: number, messages: readonly KafkaMessage[]): Promise<void> {
    this.behaviour.onBatch?.(messages);
    const offsets = messages.map((m) => m.offset);
    this.record({ kind: 'batch', ...this.at(session), partition, offsets, values: messages.map((m) => m.value?.toString() ?? '') });
    const last = offsets[offsets.length - 1] ?? -1;
    this.read.set(partition, Math.max(this.read.get(partition) ?? -1, last));
    if (this.behaviour.commitBatches === true) await this.commit(session, [{ topic, partition, offset: last + 1 }]);
  }

  async revoked(session: GroupSession): Promise<void> {
    this.record({ kind: 'revoked', ...this.at(session) });
    await this.behaviour.onRevoked?.(session);
    if (this.behaviour.commitInRevoked === true) {
      const offsets: CommitOffset[] = [];
      for (const [topic, partitions] of session.assignment) {
        for (const partition of partitions) {
          const last = this.read.get(partition);
          if (last !== undefined) offsets.push({ topic, partition, offset: last + 1 });
        }
      }
      await this.commit(session, offsets);
    }
    this.record({ kind: 'revoked-done', ...this.at(session) });
  }

  /** Commits; a generation that is over (the group moved on without this member) is no error here. */
  private async commit(session: GroupSession, offsets: readonly CommitOffset[]): Promise<void> {
    try {
      await session.commit(offsets);
    } catch (error) {
      if (!(error instanceof CommitFailedError)) throw error;
      this.commitsRefused += 1;
    }
  }

  /** Offsets read per partition, over all generations. */
  received(): Map<number, number[]> {
    const result = new Map<number, number[]>();
    for (const event of this.events) {
      if (event.kind !== 'batch') continue;
      result.set(event.partition, [...(result.get(event.partition) ?? []), ...event.offsets]);
    }
    return result;
  }

  ofKind<K extends keyof EventsByKind>(kind: K): Array<EventsByKind[K]> {
    return this.events.filter((event) => event.kind === kind) as Array<EventsByKind[K]>;
  }

  /** Resolves once `check` returns something other than `undefined` (checked now and after each event). */
  until<T>(what: string, check: () => T | undefined, timeoutMs = 60_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const probe = (): boolean => {
        const value = check();
        if (value === undefined) return false;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((waiter) => waiter !== onEvent);
        resolve(value);
        return true;
      };
      const onEvent = (): void => void probe();
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== onEvent);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; events: ${JSON.stringify(this.events)}`));
      }, timeoutMs);
      if (!probe()) this.waiters.push(onEvent);
    });
  }

  private at(session: GroupSession): { seq: number; generation: number; memberId: string } {
    sequence += 1;
    return { seq: sequence, generation: session.generation, memberId: session.memberId };
  }

  private record(event: GroupEvent): void {
    this.events.push(event);
    for (const waiter of this.waiters) waiter();
  }
}

function partitionsOf(session: GroupSession): number[] {
  return [...new Set([...session.assignment.values()].flat())].sort((a, b) => a - b);
}

export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
export const hasAll = (received: Map<number, number[]>, partitions: readonly number[], offsets: readonly number[]): boolean =>
  partitions.every((p) => offsets.every((o) => received.get(p)?.includes(o) === true));
