import type { KafkaMessage, MemoryKafka } from '@goka/core';

/**
 * Every record appended to each topic since the tester started, in append order over all
 * partitions (the position of a record in its journal is its "queue offset"; with one partition it
 * equals the Kafka offset). Queue trackers read from here.
 */
export class TopicJournals {
  readonly #journals = new Map<string, KafkaMessage[]>();
  #count = 0;
  readonly #unsubscribe: () => void;

  constructor(kafka: MemoryKafka) {
    this.#unsubscribe = kafka.onAppend((message) => {
      this.#count += 1;
      this.of(message.topic).push(message);
    });
  }

  /** Records appended to any topic so far. */
  get count(): number {
    return this.#count;
  }

  /** The journal of `topic` (live: it grows with later appends). */
  of(topic: string): KafkaMessage[] {
    let journal = this.#journals.get(topic);
    if (journal === undefined) this.#journals.set(topic, (journal = []));
    return journal;
  }

  /** Stops recording. */
  close(): void {
    this.#unsubscribe();
  }
}
