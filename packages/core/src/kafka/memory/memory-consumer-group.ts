import type { ConsumerGroup, ConsumerGroupOptions, GroupHandler } from '../consumer-group.js';
import type { MemoryGroupCoordinator } from './memory-group-coordinator.js';

/**
 * A member of a {@link MemoryKafka} consumer group. `run` joins the group; the coordinator delivers
 * records through the handler until the signal aborts or the handler fails.
 */
export class MemoryConsumerGroup implements ConsumerGroup {
  private memberId: string | undefined;

  constructor(
    private readonly coordinator: MemoryGroupCoordinator,
    private readonly options: ConsumerGroupOptions,
  ) {}

  /** The member id of the current run (`undefined` before `run`). */
  get member(): string | undefined {
    return this.memberId;
  }

  async run(handler: GroupHandler, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const memberId = this.coordinator.nextMemberId(this.options.clientId ?? this.options.groupId);
    this.memberId = memberId;
    let failure: { error: unknown } | undefined;
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    signal.addEventListener('abort', stop, { once: true });
    await this.coordinator.join({
      memberId,
      options: this.options,
      handler,
      fail: (error) => {
        failure ??= { error };
        stop();
      },
    });
    await stopped;
    signal.removeEventListener('abort', stop);
    await this.coordinator.leave(memberId);
    if (failure !== undefined) throw failure.error;
  }
}
