import type { Codec, EmitterOptions, KafkaConnectionOptions } from '@goka/core';

/** @publicApi Options of {@link createTester}. */
export interface TesterOptions {
  /** Partitions of every topic the tester creates (inputs, outputs, tables, loops). @default 1 */
  readonly partitions?: number;
}

/** @publicApi Options of {@link Tester.consume}. */
export interface ConsumeOptions<V = unknown> {
  /** Record headers; strings are stored as their UTF-8 bytes. @default {} */
  readonly headers?: Readonly<Record<string, Buffer | string>>;
  /** Record timestamp in ms since the epoch. @default 0 (as Goka's tester: deterministic) */
  readonly timestamp?: number;
  /** Encodes the value instead of the topic's registered codec (for topics no component declares). */
  readonly codec?: Codec<V>;
}

/** @publicApi Options of {@link Tester.emitter}: the emitter's own options, without the Kafka connection. */
export type TesterEmitterOptions = Omit<EmitterOptions, keyof KafkaConnectionOptions>;
