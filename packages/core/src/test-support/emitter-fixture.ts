import type { Codec } from '../codec/codec.js';
import { codecs } from '../codec/codecs.js';
import { Emitter } from '../emitter/emitter.js';
import type { EmitterOptions } from '../emitter/emitter-options.js';
import type { KafkaAdmin } from '../kafka/admin.js';
import type { ConsumerGroup, ConsumerGroupOptions } from '../kafka/consumer-group.js';
import type { ClientOptions, KafkaAdapter } from '../kafka/kafka-adapter.js';
import { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import type { OutgoingMessage, ProducedOffset } from '../kafka/message.js';
import type { PartitionReader } from '../kafka/partition-reader.js';
import type { KafkaProducer } from '../kafka/producer.js';
import { silentLogger } from '../util/logger.js';

/** Shared by the Emitter specs (emitter/emitter*.spec.ts). */
export const TOPIC = 'events';

interface Deferred {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
}

function deferred(): Deferred {
  let done: (() => void) | undefined;
  const promise = new Promise<void>((resolve) => {
    done = resolve;
  });
  return { promise, resolve: () => done?.() };
}

/** Lets pending timers of the current turn, I/O callbacks and microtasks run (not a sleep). */
export async function nextTurns(turns = 3): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((done) => setImmediate(done));
}

/**
 * Wraps {@link MemoryKafka}: records every send (a copy of its records), how many sends ran at
 * once, the client ids and lifecycle calls; sends can be held back with `hold()`.
 */
export class RecordingKafka implements KafkaAdapter {
  readonly name = 'recording';
  readonly sends: OutgoingMessage[][] = [];
  readonly events: string[] = [];
  readonly clientIds: (string | undefined)[] = [];
  admins = 0;
  producers = 0;
  inFlight = 0;
  maxInFlight = 0;
  private gate: Promise<void> | undefined;
  private started: Deferred | undefined;

  constructor(readonly memory: MemoryKafka) {}

  createConsumerGroup(options: ConsumerGroupOptions): ConsumerGroup {
    return this.memory.createConsumerGroup(options);
  }

  /** Holds sends from now on until the returned release function is called. */
  hold(): () => void {
    const gate = deferred();
    this.gate = gate.promise;
    return () => {
      this.gate = undefined;
      gate.resolve();
    };
  }

  /** Resolves when the next send starts. */
  nextSend(): Promise<void> {
    this.started = deferred();
    return this.started.promise;
  }

  createProducer(options?: ClientOptions): KafkaProducer {
    this.producers++;
    this.clientIds.push(options?.clientId);
    const inner = this.memory.createProducer(options);
    return {
      connect: async () => {
        this.events.push('connect');
        await inner.connect();
      },
      send: async (records: readonly OutgoingMessage[]): Promise<ProducedOffset[]> => {
        this.sends.push([...records]);
        this.events.push(`send ${records.length}`);
        this.inFlight++;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        this.started?.resolve();
        try {
          await this.gate;
          return await inner.send(records);
        } finally {
          this.inFlight--;
          this.events.push('sent');
        }
      },
      disconnect: async () => {
        this.events.push('disconnect');
        await inner.disconnect();
      },
    };
  }

  createAdmin(options?: ClientOptions): KafkaAdmin {
    this.admins++;
    this.clientIds.push(options?.clientId);
    return this.memory.createAdmin(options);
  }

  createReader(options?: ClientOptions): PartitionReader {
    return this.memory.createReader(options);
  }
}

export function setup<V = string>(
  options: Partial<EmitterOptions> & { partitions?: number; codec?: Codec<V> } = {},
): { memory: MemoryKafka; kafka: RecordingKafka; emitter: Emitter<V> } {
  const { partitions = 4, codec, ...rest } = options;
  const memory = new MemoryKafka();
  memory.createTopic(TOPIC, { partitions });
  const kafka = new RecordingKafka(memory);
  const emitter = new Emitter<V>(TOPIC, codec ?? (codecs.string as unknown as Codec<V>), {
    kafka,
    logger: silentLogger,
    ...rest,
  });
  return { memory, kafka, emitter };
}
