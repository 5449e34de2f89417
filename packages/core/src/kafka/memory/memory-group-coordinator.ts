import { GokaError } from '../../errors/goka-error.js';
import { RebalanceError } from '../../errors/group-error.js';
import { assignorMismatch } from '../kafka.messages.js';
import type { Assignment, CommitOffset, GroupMember } from '../consumer-group.js';
import type { ActivityToken } from './memory-activity.js';
import type { MemoryKafka } from './memory-kafka.js';
import { MemberCrashedError } from './member-crashed-error.js';
import { MemorySession } from './memory-session.js';
import type { MemoryMember } from './memory-session.js';

export type { MemoryMember } from './memory-session.js';

/** Records handed to a member per batch, like one fetch of a real consumer. */
const MAX_BATCH = 500;

/**
 * The group coordinator of one consumer group of {@link MemoryKafka}: members, generations, committed
 * offsets and the delivery loops. Rebalances run one after another: every member's generation ends
 * (`revoked` awaited), the assignor plans the next generation, and each member's `assigned` runs
 * before its partitions are delivered. Deterministic: member ids grow with the join order.
 *
 * Rebalances, member setups and delivery loops report to {@link MemoryKafka.activity} (the tester's
 * idleness signal); {@link crash} and {@link whenCommitted} are testing hooks as well.
 */
export class MemoryGroupCoordinator {
  private readonly members = new Map<string, MemoryMember>();
  private readonly sessions = new Map<string, MemorySession>();
  /** Sessions of the generation being ended (drained, then revoked). */
  private readonly ending = new Set<MemorySession>();
  private readonly committed = new Map<string, number>();
  /** Activity held for a member whose run was failed until it leaves. */
  private readonly failing = new Map<string, ActivityToken>();
  private commitWaiters: Array<() => void> = [];
  private rebalancing = 0;
  private generation = 0;
  private joined = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly kafka: MemoryKafka,
    readonly groupId: string,
  ) {}

  /** A member id for the next member (`<clientId>-<n>`, ordered by joining). */
  nextMemberId(clientId: string): string {
    this.joined += 1;
    return `${clientId}-${String(this.joined).padStart(6, '0')}`;
  }

  /** Adds a member and rebalances; resolves once the rebalance has been planned. */
  join(member: MemoryMember): Promise<void> {
    this.members.set(member.memberId, member);
    return this.rebalance();
  }

  /** Removes a member (its generation ends with `revoked`) and rebalances the others. */
  leave(memberId: string): Promise<void> {
    const failing = this.failing.get(memberId);
    this.failing.delete(memberId);
    const done = this.members.delete(memberId) ? this.rebalance() : this.queue;
    failing?.end();
    return done;
  }

  /**
   * Testing hook: the sudden death of member `memberId` (a killed process). Its generation ends
   * without `revoked` (nothing more is committed for it: later commits fail), its work in flight is
   * neither awaited nor counted as activity, its client id is fenced ({@link MemoryKafka.fenceClient})
   * so that work writes nothing, and its run rejects with a {@link MemberCrashedError}. The others
   * rebalance and resume its partitions from the committed offsets, so whatever it had not
   * committed is delivered again. Resolves once that rebalance is done.
   */
  crash(memberId: string): Promise<void> {
    const member = this.members.get(memberId);
    if (member === undefined) {
      return Promise.reject(new GokaError('GOKA_MEMBER_NOT_FOUND', `group "${this.groupId}" has no member "${memberId}" to crash`));
    }
    this.members.delete(memberId);
    for (const session of [this.sessions.get(memberId), ...this.ending]) {
      if (session?.memberId === memberId) session.abandon();
    }
    this.sessions.delete(memberId);
    if (member.options.clientId !== undefined) this.kafka.fenceClient(member.options.clientId);
    member.fail(new MemberCrashedError(this.groupId, memberId));
    return this.rebalance();
  }

  /** Resolves once every rebalance asked for so far is done. */
  settled(): Promise<void> {
    return this.queue;
  }

  /** Member ids in join order, optionally only those of client id `clientId`. */
  memberIds(clientId?: string): string[] {
    return [...this.members.values()]
      .filter((member) => clientId === undefined || member.options.clientId === clientId)
      .map((member) => member.memberId);
  }

  /** Committed next-offsets, `topic` → partition → offset. */
  offsets(): Map<string, Map<number, number>> {
    const result = new Map<string, Map<number, number>>();
    for (const [slot, offset] of this.committed) {
      const [topic, partition] = splitSlot(slot);
      let partitions = result.get(topic);
      if (partitions === undefined) result.set(topic, (partitions = new Map()));
      partitions.set(partition, offset);
    }
    return result;
  }

  /** What each member consumes in the current generation. */
  assignments(): Map<string, Assignment> {
    return new Map([...this.sessions].map(([memberId, session]) => [memberId, session.assignment]));
  }

  /**
   * Whether `memberId`'s session of `generation` may still commit (the current generation, or the one
   * ending until its `revoked` returned): what Kafka's coordinator checks before it accepts a
   * transaction's offsets.
   */
  isCurrent(memberId: string, generation: number): boolean {
    for (const session of [this.sessions.get(memberId), ...this.ending]) {
      if (session?.memberId === memberId && session.generation === generation) return session.acceptsCommits;
    }
    return false;
  }

  /** The current generation number (0 before the first member joined). */
  currentGeneration(): number {
    return this.generation;
  }

  /**
   * Testing hook: resolves once no rebalance runs and every member of the current generation has
   * committed every record delivered to it and handled (at once if that holds now). Never resolves
   * while a member holds back a commit (a deferred commit that is never finished).
   */
  whenCommitted(): Promise<void> {
    if (this.allCommitted()) return Promise.resolve();
    return new Promise((resolve) => this.commitWaiters.push(resolve));
  }

  store(offsets: readonly CommitOffset[]): void {
    for (const { topic, partition, offset } of offsets) this.committed.set(slotOf(topic, partition), offset);
    this.checkCommits();
  }

  private allCommitted(): boolean {
    if (this.rebalancing > 0) return false;
    for (const session of this.sessions.values()) {
      for (const [slot, { start, delivered }] of session.progress) {
        if (delivered > start && (this.committed.get(slot) ?? -1) < delivered) return false;
      }
    }
    return true;
  }

  private checkCommits(): void {
    if (this.commitWaiters.length === 0 || !this.allCommitted()) return;
    const waiters = this.commitWaiters;
    this.commitWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private rebalance(): Promise<void> {
    const token = this.kafka.activity.begin();
    this.rebalancing += 1;
    this.queue = this.queue
      .then(() => this.runRebalance())
      .finally(() => {
        this.rebalancing -= 1;
        token.end();
        this.checkCommits();
      });
    return this.queue;
  }

  private async runRebalance(): Promise<void> {
    await this.endGeneration();
    this.generation += 1;
    const members = [...this.members.values()];
    if (members.length === 0) return;
    let plan: Map<string, Assignment>;
    try {
      plan = this.plan(members);
    } catch (error) {
      for (const member of members) {
        this.fail(member, error);
        this.members.delete(member.memberId);
      }
      return;
    }
    for (const member of members) {
      this.startSession(member, plan.get(member.memberId) ?? new Map<string, readonly number[]>());
    }
  }

  /** Ends every member's session: abort, wait for its loops, then its `revoked` (not for crashed members). */
  private async endGeneration(): Promise<void> {
    const ending = [...this.sessions.values()];
    this.sessions.clear();
    for (const session of ending) this.ending.add(session);
    await Promise.all(
      ending.map(async (session) => {
        try {
          await session.drain();
          if (!session.abandoned) await session.unlessAbandoned(session.member.handler.revoked(session));
        } catch (error) {
          if (!session.abandoned) {
            this.fail(session.member, error);
            this.members.delete(session.memberId);
          }
        } finally {
          session.close();
          this.ending.delete(session);
        }
      }),
    );
  }

  /** Ends a member's run with `error`; the group counts as busy until the member has left. */
  private fail(member: MemoryMember, error: unknown): void {
    if (this.members.has(member.memberId) && !this.failing.has(member.memberId)) {
      this.failing.set(member.memberId, this.kafka.activity.begin());
    }
    member.fail(error);
  }

  private plan(members: readonly MemoryMember[]): Map<string, Assignment> {
    const names = [...new Set(members.map((member) => member.options.assignor.name))];
    if (names.length > 1) throw new RebalanceError(assignorMismatch(this.groupId, names), this.groupId);
    const partitions = new Map<string, readonly number[]>();
    for (const member of members) {
      for (const topic of member.options.topics) {
        const described = this.kafka.describeTopic(topic);
        if (described !== undefined) partitions.set(topic, described.partitions);
      }
    }
    const groupMembers: GroupMember[] = members.map(({ memberId, options }) => ({ memberId, topics: options.topics }));
    return (members[0] as MemoryMember).options.assignor.plan(groupMembers, partitions);
  }

  private startSession(member: MemoryMember, assignment: Assignment): void {
    const session = new MemorySession(this.groupId, member, this.generation, assignment, this.kafka.activity, (offsets) =>
      this.store(offsets),
    );
    this.sessions.set(member.memberId, session);
    // Where each partition starts is fixed when the generation starts: the committed offset, else the
    // oldest offset or the high-water mark (Goka's default: only records written from now on).
    const starts: Array<[string, number, number]> = [];
    for (const [topic, partitions] of assignment) {
      for (const partition of partitions) {
        const { oldest, hwm } = this.kafka.offsets(topic, partition);
        const initial = member.options.initialOffset === 'oldest' ? oldest : hwm;
        const start = this.committed.get(slotOf(topic, partition)) ?? initial;
        starts.push([topic, partition, start]);
        session.progress.set(slotOf(topic, partition), { topic, partition, start, delivered: start });
      }
    }
    const setupToken = session.begin();
    const setup = member.handler.assigned(session);
    session.track(
      setup
        .then(
          () => {
            for (const [topic, partition, start] of starts) {
              session.track(this.deliver(member, session, topic, partition, start));
            }
          },
          (error: unknown) => {
            if (!session.signal.aborted) this.fail(member, error);
          },
        )
        .finally(() => setupToken.end()),
    );
  }

  /** Delivers one partition's records to the member, batch after batch, until the generation ends. */
  private async deliver(
    member: MemoryMember,
    session: MemorySession,
    topic: string,
    partition: number,
    start: number,
  ): Promise<void> {
    const log = this.kafka.partitionLog(topic, partition);
    const progress = session.progress.get(slotOf(topic, partition));
    const token = session.begin();
    const isolation = member.options.isolationLevel ?? 'read_uncommitted';
    let position = start;
    try {
      while (!session.signal.aborted) {
        const messages = log.read(position, MAX_BATCH, isolation);
        const last = messages[messages.length - 1];
        if (last === undefined) {
          const { oldest, hwm } = log.offsets(isolation);
          // Nothing readable before the end: step over control records and aborted ones too.
        position = Math.max(position, oldest, hwm);
          // Nothing at or past `position`: the next record is written at the high-water mark (or
          // becomes readable at the last stable offset).
          const next = Math.max(position, hwm);
          token.park(log, next, isolation);
          await log.waitFor(next, session.signal, isolation);
          token.resume();
          continue;
        }
        try {
          await member.handler.batch(session, topic, partition, messages);
        } catch (error) {
          if (!session.abandoned) this.fail(member, error);
          return;
        }
        position = last.offset + 1;
        if (progress !== undefined && !session.abandoned) progress.delivered = position;
        // Let timers and I/O run between batches, as a network consumer would.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      token.end();
    }
  }
}

function slotOf(topic: string, partition: number): string {
  return `${partition}\u0000${topic}`;
}

function splitSlot(slot: string): [string, number] {
  const separator = slot.indexOf('\u0000');
  return [slot.slice(separator + 1), Number(slot.slice(0, separator))];
}
