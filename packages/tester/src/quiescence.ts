import type { MemoryKafka } from '@goka/core';
import type { TesterComponent } from './tester-host.js';
import type { TopicJournals } from './topic-journal.js';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Resolves once the tester's world is quiet: every delivery loop and reader of the in-memory Kafka
 * has handled everything up to the high-water marks (see `MemoryKafka.idle`), that still holds after
 * a turn of the event loop with no record appended meanwhile (work a handler started without
 * awaiting it, such as a processor's produce after its batch returned, has finished), and no
 * component is starting, rebalancing or stopping, and no transaction is open. Cascades: whatever a processor writes wakes its
 * consumers, so the loop runs until loops, chains and outputs have all been consumed.
 */
export async function quiesce(
  kafka: MemoryKafka,
  journals: TopicJournals,
  components: () => Iterable<TesterComponent>,
): Promise<void> {
  for (;;) {
    await kafka.idle();
    const appended = journals.count;
    await nextTurn();
    if (!kafka.isIdle() || journals.count !== appended) continue;
    // An exactly-once processor's open transaction commits at its next commit (every millisecond in
    // the tester): its records become visible to read_committed consumers, which then run again.
    if (kafka.hasOpenTransactions()) {
      await kafka.transactionsEnded();
      continue;
    }
    const transitions: Array<Promise<void>> = [];
    for (const component of components()) {
      const transition = component.transition();
      if (transition !== undefined) transitions.push(transition);
    }
    if (transitions.length === 0) return;
    await Promise.race(transitions);
  }
}
