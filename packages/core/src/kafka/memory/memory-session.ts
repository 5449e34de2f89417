import { CommitFailedError } from '../../errors/group-error.js';
import type { Assignment, CommitOffset, ConsumerGroupOptions, GroupHandler, GroupSession } from '../consumer-group.js';
import type { ActivityToken, MemoryActivity } from './memory-activity.js';

/** A member of an in-memory group: what it subscribed to and how to reach its run. */
export interface MemoryMember {
  readonly memberId: string;
  readonly options: ConsumerGroupOptions;
  readonly handler: GroupHandler;
  /** Ends the member's run with an error (it leaves the group). */
  readonly fail: (error: unknown) => void;
}

/** How far one partition of a session was delivered: from `start`, handled up to `delivered` (next offset). */
export interface DeliveryProgress {
  readonly topic: string;
  readonly partition: number;
  readonly start: number;
  delivered: number;
}

/**
 * One generation of one member: its session, the work that must end before the next generation,
 * the activity tokens of that work, and how far each partition was delivered.
 */
export class MemorySession implements GroupSession {
  readonly signal: AbortSignal;
  readonly groupId: string;
  readonly memberId: string;
  /** Per `topic`/`partition` slot: what was delivered and handled. */
  readonly progress = new Map<string, DeliveryProgress>();
  private readonly controller = new AbortController();
  private readonly work: Array<Promise<void>> = [];
  private readonly tokens = new Set<ActivityToken>();
  private closed = false;
  private abandonedFlag = false;
  private markAbandoned!: () => void;
  /** Resolves when the session is abandoned (its member crashed). */
  private readonly abandonedSignal = new Promise<void>((resolve) => (this.markAbandoned = resolve));

  constructor(
    groupId: string,
    readonly member: MemoryMember,
    readonly generation: number,
    readonly assignment: Assignment,
    private readonly activity: MemoryActivity,
    private readonly store: (offsets: readonly CommitOffset[]) => void,
  ) {
    this.signal = this.controller.signal;
    this.groupId = groupId;
    this.memberId = member.memberId;
  }

  /** Whether the member crashed during this generation. */
  get abandoned(): boolean {
    return this.abandonedFlag;
  }

  /** Whether commits of this session are still accepted. */
  get acceptsCommits(): boolean {
    return !this.closed;
  }

  async commit(offsets: readonly CommitOffset[]): Promise<void> {
    if (this.closed) throw new CommitFailedError(this.groupId, this.generation);
    this.store(offsets);
  }

  /** A busy activity token owned by this session (ended when the session is abandoned). */
  begin(): ActivityToken {
    const token = this.activity.begin();
    this.tokens.add(token);
    return token;
  }

  track(work: Promise<void>): void {
    this.work.push(work);
  }

  /** Aborts the generation and waits until its setup and partition loops have stopped (or it is abandoned). */
  async drain(): Promise<void> {
    this.controller.abort();
    await this.unlessAbandoned(Promise.allSettled(this.work).then(() => undefined));
  }

  /** `work`, or nothing once the session is abandoned: a crashed member is never waited for. */
  unlessAbandoned(work: Promise<void>): Promise<void> {
    return Promise.race([work, this.abandonedSignal]);
  }

  /** The member crashed: abort, refuse commits, stop counting its work as activity, stop waiting for it. */
  abandon(): void {
    this.abandonedFlag = true;
    this.controller.abort();
    this.close();
    for (const token of this.tokens) token.end();
    this.tokens.clear();
    this.markAbandoned();
  }

  close(): void {
    this.closed = true;
  }
}
