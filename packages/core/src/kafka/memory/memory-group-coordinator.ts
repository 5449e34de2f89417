import { CommitFailedError, RebalanceError } from '../../errors/group-error.js';
import { assignorMismatch } from '../../errors/messages.js';
import type {
  Assignment,
  CommitOffset,
  ConsumerGroupOptions,
  GroupHandler,
  GroupMember,
  GroupSession,
} from '../consumer-group.js';
import type { MemoryKafka } from './memory-kafka.js';

/** Records handed to a member per batch, like one fetch of a real consumer. */
const MAX_BATCH = 500;

/** A member of an in-memory group: what it subscribed to and how to reach its run. */
export interface MemoryMember {
  readonly memberId: string;
  readonly options: ConsumerGroupOptions;
  readonly handler: GroupHandler;
  /** Ends the member's run with an error (it leaves the group). */
  readonly fail: (error: unknown) => void;
}

/** One generation of one member: its session plus the work that must end before the next one. */
class MemorySession implements GroupSession {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private closed = false;
  private readonly work: Array<Promise<void>> = [];

  readonly groupId: string;
  readonly memberId: string;

  constructor(
    private readonly coordinator: MemoryGroupCoordinator,
    readonly member: MemoryMember,
    readonly generation: number,
    readonly assignment: Assignment,
  ) {
    this.signal = this.controller.signal;
    this.groupId = coordinator.groupId;
    this.memberId = member.memberId;
  }

  async commit(offsets: readonly CommitOffset[]): Promise<void> {
    if (this.closed) throw new CommitFailedError(this.groupId, this.generation);
    this.coordinator.store(offsets);
  }

  track(work: Promise<void>): void {
    this.work.push(work);
  }

  /** Aborts the generation and waits until its setup and partition loops have stopped. */
  async drain(): Promise<void> {
    this.controller.abort();
    await Promise.allSettled(this.work);
  }

  close(): void {
    this.closed = true;
  }
}

/**
 * The group coordinator of one consumer group of {@link MemoryKafka}: members, generations, committed
 * offsets and the delivery loops. Rebalances run one after another: every member's generation ends
 * (`revoked` awaited), the assignor plans the next generation, and each member's `assigned` runs
 * before its partitions are delivered. Deterministic: member ids grow with the join order.
 */
export class MemoryGroupCoordinator {
  private readonly members = new Map<string, MemoryMember>();
  private readonly sessions = new Map<string, MemorySession>();
  private readonly committed = new Map<string, number>();
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
    if (!this.members.delete(memberId)) return this.queue;
    return this.rebalance();
  }

  /** Resolves once every rebalance asked for so far is done. */
  settled(): Promise<void> {
    return this.queue;
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

  /** The current generation number (0 before the first member joined). */
  currentGeneration(): number {
    return this.generation;
  }

  store(offsets: readonly CommitOffset[]): void {
    for (const { topic, partition, offset } of offsets) this.committed.set(slotOf(topic, partition), offset);
  }

  private rebalance(): Promise<void> {
    this.queue = this.queue.then(() => this.runRebalance());
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
        this.members.delete(member.memberId);
        member.fail(error);
      }
      return;
    }
    for (const member of members) {
      this.startSession(member, plan.get(member.memberId) ?? new Map<string, readonly number[]>());
    }
  }

  /** Ends every member's session: abort, wait for its loops, then its `revoked`. */
  private async endGeneration(): Promise<void> {
    const ending = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(
      ending.map(async (session) => {
        await session.drain();
        try {
          await session.member.handler.revoked(session);
        } catch (error) {
          this.members.delete(session.memberId);
          session.member.fail(error);
        } finally {
          session.close();
        }
      }),
    );
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
    const session = new MemorySession(this, member, this.generation, assignment);
    this.sessions.set(member.memberId, session);
    // Where each partition starts is fixed when the generation starts: the committed offset, else the
    // oldest offset or the high-water mark (Goka's default: only records written from now on).
    const starts: Array<[string, number, number]> = [];
    for (const [topic, partitions] of assignment) {
      for (const partition of partitions) {
        const { oldest, hwm } = this.kafka.offsets(topic, partition);
        const initial = member.options.initialOffset === 'oldest' ? oldest : hwm;
        starts.push([topic, partition, this.committed.get(slotOf(topic, partition)) ?? initial]);
      }
    }
    const setup = member.handler.assigned(session);
    session.track(
      setup.then(
        () => {
          for (const [topic, partition, start] of starts) {
            session.track(this.deliver(member, session, topic, partition, start));
          }
        },
        (error: unknown) => {
          if (!session.signal.aborted) member.fail(error);
        },
      ),
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
    let position = start;
    while (!session.signal.aborted) {
      const messages = log.read(position, MAX_BATCH);
      const last = messages[messages.length - 1];
      if (last === undefined) {
        position = Math.max(position, log.offsets().oldest);
        await log.waitFor(position, session.signal);
        continue;
      }
      try {
        await member.handler.batch(session, topic, partition, messages);
      } catch (error) {
        member.fail(error);
        return;
      }
      position = last.offset + 1;
      // Let timers and I/O run between batches, as a network consumer would.
      await new Promise<void>((resolve) => setImmediate(resolve));
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
