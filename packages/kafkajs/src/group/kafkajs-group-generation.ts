import { setMaxListeners } from 'node:events';
import { CommitFailedError, GokaError, KafkaConnectionError, PartitionReadError } from '@goka/core';
import type { GokaLogger } from '@goka/core';
import type { Assignment, CommitOffset, GroupHandler, GroupSession, PartitionReader } from '@goka/core/kafka';
import { groupRequestFailed } from '../messages.js';
import { sleep } from '../util.js';
import { isRetriableKafkaError } from '../kafkajs-errors.js';
import { slotOf, withRetries } from './kafkajs-group-client.js';
import type { KafkajsGroupClient } from './kafkajs-group-client.js';
import { describeKafkaError, isGenerationOver, isMemberUnknown, isRetriableGroupError, kafkaErrorType } from './kafkajs-group-internals.js';
import { retryDelay } from '../reader/reader-retry.js';

/** What a generation needs from the member that joined it. */
export interface GenerationContext {
  readonly groupId: string;
  readonly memberId: string;
  readonly generation: number;
  readonly assignment: Assignment;
  readonly handler: GroupHandler;
  readonly client: KafkajsGroupClient;
  readonly reader: PartitionReader;
  readonly logger: GokaLogger;
  readonly initialOffset: 'oldest' | 'newest';
  readonly heartbeatIntervalMs: number;
  readonly sessionTimeoutMs: number;
  /** How long a commit retries connection errors before it rejects. */
  readonly commitTimeoutMs: number;
  /** Brokers and client id, for connection errors. */
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Aborts when the member's run stops (its signal, or a failure): the generation ends. */
  readonly stop: AbortSignal;
  /** Ends the member's run with `error` (the generation ends first). */
  readonly fail: (error: unknown) => void;
  /** The coordinator no longer knows the member: it joins again as a new member. */
  readonly forgetMember: () => void;
}

/** Where a partition of the assignment starts. */
interface PartitionStart {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** The session a handler sees; commits go through the generation. */
class KafkajsGroupSession implements GroupSession {
  readonly groupId: string;
  readonly memberId: string;
  readonly generation: number;
  readonly assignment: Assignment;

  constructor(
    private readonly owner: KafkajsGroupGeneration,
    context: GenerationContext,
    readonly signal: AbortSignal,
  ) {
    this.groupId = context.groupId;
    this.memberId = context.memberId;
    this.generation = context.generation;
    this.assignment = context.assignment;
  }

  commit(offsets: readonly CommitOffset[]): Promise<void> {
    return this.owner.commit(offsets);
  }
}

/**
 * One generation of a group member, from SyncGroup to its end: heartbeats from the start until
 * `revoked` has returned (also while `assigned` recovers state and while `revoked` commits — a member
 * that stops heartbeating before it rejoins is removed after the session timeout); the committed
 * offsets (else the oldest or newest offset) fixed before `assigned`; then one delivery loop per
 * partition (`batch` calls in offset order, each awaited before the next), until the generation ends:
 * the coordinator rebalances (heartbeat answers REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION or
 * UNKNOWN_MEMBER_ID), the member stops, or something failed. Then the delivery loops finish their
 * batches in flight, `revoked` runs (commits still count), and later commits reject with
 * {@link CommitFailedError}. A generation that ends before its start offsets are known calls no handler.
 */
export class KafkajsGroupGeneration {
  readonly session: GroupSession;
  /** Aborted when the generation ends. */
  private readonly ending = new AbortController();
  /** Aborted once `revoked` returned: heartbeats stop, commits are refused. */
  private readonly closing = new AbortController();
  private commits: Promise<void> = Promise.resolve();

  constructor(private readonly context: GenerationContext) {
    // Every partition's read and every handler may listen to the session signal.
    setMaxListeners(0, this.ending.signal);
    this.session = new KafkajsGroupSession(this, context, this.ending.signal);
  }

  /** Runs the generation; resolves once it is over (`revoked` returned, heartbeats stopping). Never rejects. */
  async run(): Promise<void> {
    const { stop, handler } = this.context;
    const onStop = (): void => this.end();
    stop.addEventListener('abort', onStop, { once: true });
    if (stop.aborted) this.end();
    const heartbeats = this.heartbeats().catch((error: unknown) => this.context.fail(error));
    try {
      const starts = await this.startOffsets();
      // A generation that ended before it started (the group rebalanced again) calls no handler.
      if (starts === undefined || this.ending.signal.aborted) return;
      let ready = false;
      try {
        await handler.assigned(this.session);
        ready = !this.ending.signal.aborted;
      } catch (error) {
        // A setup interrupted by the end of the generation may fail: that is no error of the member.
        if (!this.ending.signal.aborted) this.context.fail(error);
      }
      const deliveries = ready ? starts.map((start) => this.deliver(start)) : [];
      await aborted(this.ending.signal);
      await Promise.all(deliveries);
      try {
        await handler.revoked(this.session);
      } catch (error) {
        this.context.fail(error);
      }
    } catch (error) {
      this.context.fail(error);
    } finally {
      this.end();
      this.closing.abort();
      stop.removeEventListener('abort', onStop);
      // The last heartbeat may still be in flight; its answer is ignored. Not awaited: a request to a
      // broker that died only ends with the request timeout.
      void heartbeats;
    }
  }

  /** Ends the generation (idempotent): delivery stops, `revoked` follows. */
  end(): void {
    this.ending.abort();
  }

  /** Commits one after another (a retried commit never overtakes a later one); refused once closed. */
  commit(offsets: readonly CommitOffset[]): Promise<void> {
    if (this.closing.signal.aborted) return Promise.reject(this.commitFailed());
    const next = this.commits.then(() => this.sendCommit(offsets));
    this.commits = next.catch(() => undefined);
    return next;
  }

  private async sendCommit(offsets: readonly CommitOffset[]): Promise<void> {
    const { client, generation, memberId, logger, groupId } = this.context;
    if (this.closing.signal.aborted) throw this.commitFailed();
    if (offsets.length === 0) return;
    try {
      await withRetries(() => client.commit(generation, memberId, offsets), {
        signal: this.closing.signal,
        timeoutMs: this.context.commitTimeoutMs,
        onRetry: (error, failingFor) => this.logRetry('committing offsets', error, failingFor),
      });
      logger.debug('committed offsets', { group: groupId, generation, offsets: offsets.map(describeOffset) });
    } catch (error) {
      if (isMemberUnknown(error)) this.context.forgetMember();
      if (isMemberUnknown(error) || isGenerationOver(error) || this.closing.signal.aborted) {
        // The group moved on: whoever owns the partitions now reads them again from the last commit.
        this.end();
        throw this.commitFailed(error);
      }
      if (isRetriableGroupError(error)) {
        throw new KafkaConnectionError(this.context.brokers, this.context.clientId, { cause: error });
      }
      throw new GokaError('GOKA_GROUP_REQUEST', groupRequestFailed(groupId, 'committing offsets', describeKafkaError(error)), { cause: error });
    }
  }

  private commitFailed(cause?: unknown): CommitFailedError {
    const { groupId, generation } = this.context;
    return new CommitFailedError(groupId, generation, cause === undefined ? {} : { cause });
  }

  /**
   * Heartbeats every interval until the generation is closed. REBALANCE_IN_PROGRESS ends the
   * generation but heartbeats go on (they keep the member in the group while `revoked` runs);
   * ILLEGAL_GENERATION and UNKNOWN_MEMBER_ID end it for good. Connection errors are retried at the next
   * interval: the coordinator decides whether the member is still in the group when it answers again.
   */
  private async heartbeats(): Promise<void> {
    const { client, generation, memberId, logger, groupId, heartbeatIntervalMs, sessionTimeoutMs } = this.context;
    const closed = this.closing.signal;
    let failingSince: number | undefined;
    let warnedExpiry = false;
    for (;;) {
      await sleep(heartbeatIntervalMs, closed);
      if (closed.aborted) return;
      try {
        await client.heartbeat(generation, memberId);
        if (closed.aborted) return;
        if (failingSince !== undefined) logger.info('heartbeats reach the coordinator again', { group: groupId, generation });
        failingSince = undefined;
        warnedExpiry = false;
      } catch (error) {
        if (closed.aborted) return;
        if (kafkaErrorType(error) === 'REBALANCE_IN_PROGRESS') {
          if (!this.ending.signal.aborted) logger.info('the group rebalances: ending the generation', { group: groupId, generation, memberId });
          this.end();
          continue;
        }
        if (isGenerationOver(error) || isMemberUnknown(error)) {
          logger.warn('the group moved on without this member: ending the generation', {
            group: groupId,
            generation,
            memberId,
            error: describeKafkaError(error),
          });
          if (isMemberUnknown(error)) this.context.forgetMember();
          this.end();
          return;
        }
        if (!isRetriableGroupError(error)) {
          this.context.fail(new GokaError('GOKA_GROUP_REQUEST', groupRequestFailed(groupId, 'heartbeat', describeKafkaError(error)), { cause: error }));
          return;
        }
        const now = Date.now();
        failingSince ??= now;
        this.logRetry('heartbeat', error, now - failingSince);
        if (!warnedExpiry && now - failingSince > sessionTimeoutMs) {
          warnedExpiry = true;
          logger.warn('no heartbeat reached the coordinator for longer than the session timeout: it may have removed this member', {
            group: groupId,
            generation,
            memberId,
          });
        }
      }
    }
  }

  /**
   * Where each assigned partition starts: the committed offset, else the oldest offset or the
   * high-water mark. Retried through connection errors; `undefined` when the generation ended meanwhile.
   */
  private async startOffsets(): Promise<PartitionStart[] | undefined> {
    const { client, assignment, initialOffset } = this.context;
    const pairs = [...assignment].flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition })));
    try {
      return await withRetries(
        async () => {
          const committed = pairs.length === 0 ? new Map<string, number>() : await client.committed(assignment, this.ending.signal);
          const missing = new Map<string, number[]>();
          for (const { topic, partition } of pairs) {
            if (committed.has(slotOf(topic, partition))) continue;
            let partitions = missing.get(topic);
            if (partitions === undefined) missing.set(topic, (partitions = []));
            partitions.push(partition);
          }
          const initial = missing.size === 0 ? new Map<string, number>() : await client.offsets(missing, initialOffset === 'oldest');
          return pairs.map(({ topic, partition }) => {
            const slot = slotOf(topic, partition);
            return { topic, partition, offset: committed.get(slot) ?? initial.get(slot) ?? 0 };
          });
        },
        {
          signal: this.ending.signal,
          timeoutMs: Number.POSITIVE_INFINITY,
          onRetry: (error, failingFor) => {
            this.logRetry('fetching the start offsets', error, failingFor);
            void client.refreshMetadata();
          },
        },
      );
    } catch (error) {
      if (this.ending.signal.aborted) return undefined;
      throw new GokaError('GOKA_GROUP_REQUEST', groupRequestFailed(this.context.groupId, 'fetching the start offsets', describeKafkaError(error)), {
        cause: error,
      });
    }
  }

  /**
   * Delivers one partition from `start` until the generation ends, batch after batch. A reader that
   * gave up on a retriable error reads again from the last position after a backoff; any other read
   * error, and a rejected `batch`, end the member's run.
   */
  private async deliver(start: PartitionStart): Promise<void> {
    const { reader, handler, logger, groupId } = this.context;
    const { topic, partition } = start;
    const signal = this.ending.signal;
    let position = start.offset;
    let failingSince: number | undefined;
    while (!signal.aborted) {
      try {
        for await (const batch of reader.read(topic, partition, position, signal)) {
          failingSince = undefined;
          if (signal.aborted) break;
          if (batch.messages.length > 0) {
            try {
              await handler.batch(this.session, topic, partition, batch.messages);
            } catch (error) {
              this.context.fail(error);
              return;
            }
          }
          position = batch.nextOffset;
        }
      } catch (error) {
        if (signal.aborted) return;
        const retriable = error instanceof PartitionReadError && isRetriableKafkaError(error.cause);
        if (!retriable) {
          this.context.fail(error);
          return;
        }
        const now = Date.now();
        failingSince ??= now;
        logger.warn('reading a partition failed, reading it again', {
          group: groupId,
          topic,
          partition,
          offset: position,
          error: error.message,
        });
        await sleep(retryDelay(now - failingSince), signal);
      }
    }
  }

  /** The first failure of a streak is a warning; the retries after it are debug lines. */
  private logRetry(what: string, error: unknown, failingFor: number): void {
    const fields = {
      group: this.context.groupId,
      generation: this.context.generation,
      failingForMs: failingFor,
      error: describeKafkaError(error),
    };
    if (failingFor === 0) this.context.logger.warn(`${what} failed, retrying`, fields);
    else this.context.logger.debug(`${what} failed again, retrying`, fields);
  }
}

function describeOffset({ topic, partition, offset }: CommitOffset): string {
  return `${topic}/${partition}@${offset}`;
}

/** Resolves when `signal` aborts (at once if it has). */
function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
