import { ProduceFailedError } from '@goka/core';
import { chunkByPartition } from './record-chunks.js';
import type { PartitionChunks } from './record-chunks.js';
import { culpritOf } from '@goka/core/kafka';
import type { CompressionType, KafkaProducer, OutgoingMessage, ProducedOffset } from '@goka/core/kafka';
import { sleep } from '../util.js';
import { isRetriableKafkaError } from '../kafkajs-errors.js';
import { portError } from '../kafkajs-port-errors.js';
import { initProducerId, kafkaErrorFromCode, negotiatedVersion, sendRawRequest } from '../kafkajs-internals.js';
import type { RawCluster } from '../kafkajs-internals.js';
import { decodeProduceResponse, encodeProduceRequest } from '../protocol/produce-request.js';
import type { ProducePartitionResult } from '../protocol/produce-request.js';
import { ProducerSequences } from './producer-sequences.js';
import type { BatchSequence } from './producer-sequences.js';
import { idempotenceError } from './idempotence-errors.js';

/** Kafka's API key of Produce, and the versions whose layout {@link encodeProduceRequest} writes. */
const PRODUCE_API_KEY = 0;
const MIN_PRODUCE_VERSION = 3;
const MAX_PRODUCE_VERSION = 7;


const PARTIAL_ACK = 'the broker answered without this partition';
const NO_LEADER = 'no leader is known for this partition';
const UNSUPPORTED = `the broker supports no Produce version from ${MIN_PRODUCE_VERSION} to ${MAX_PRODUCE_VERSION}`;

/** How the producer retries a partition whose write failed with a retriable error. */
export interface KafkajsProducerSettings {
  /** `acks` of every request: -1 waits for all in-sync replicas. */
  readonly acks: number;
  /** How long the broker may wait for the replicas, ms. */
  readonly timeoutMs: number;
  /** Retries of a failing partition before `send` rejects (kafkajs' `retry.retries`). */
  readonly retries: number;
  /** First backoff, ms, doubling up to {@link maxRetryMs}. */
  readonly initialRetryMs: number;
  readonly maxRetryMs: number;
  /**
   * Write with a producer id and sequence numbers (KIP-98), so that a batch sent again after a lost
   * acknowledgement is written once. Needs `acks` -1.
   */
  readonly idempotent: boolean;
  /** Compression of every record batch. */
  readonly compression: CompressionType;
}

/** One topic-partition's records of a send: their indexes in the send, in order, cut into request-sized chunks. */
interface Slot extends PartitionChunks {
  /** The first chunk is an uncertain batch sent again (an idempotent producer reuses its sequence). */
  resent?: boolean;
}

/** A chunk of one slot, sent in one request. */
interface Part {
  readonly slot: Slot;
  readonly indexes: readonly number[];
  /** Its producer id and sequence (idempotent producer), kept for its retries. */
  sequence?: BatchSequence | undefined;
  acknowledged?: boolean;
}


/**
 * {@link KafkaProducer} on kafkajs' connections: records are grouped per topic-partition (in order),
 * each leader gets one Produce request per round with one record batch per partition, encoded by
 * {@link encodeProduceRequest}, and sent on the broker connection kafkajs manages (metadata, TLS,
 * SASL, reconnects). kafkajs' own producer is not used: it groups a send per partition in quadratic
 * time and allocates several buffers per record.
 *
 * A partition that failed with a retriable error (leader moved, connection lost, timeout) is sent
 * again after a backoff and a metadata refresh, up to `retries` times; partitions the broker
 * acknowledged are not sent again. Per-partition order holds: a partition's next chunk goes out only
 * after its previous one was acknowledged.
 */
export class KafkajsProducer implements KafkaProducer {
  private connected: Promise<void> | undefined;
  private readonly knownTopics = new Set<string>();
  private readonly sending = new Set<Promise<unknown>>();
  /** Sequence numbers of the idempotent producer; `undefined` when not idempotent. */
  private readonly sequences: ProducerSequences | undefined;

  constructor(
    private readonly cluster: RawCluster,
    private readonly settings: KafkajsProducerSettings,
  ) {
    this.sequences = settings.idempotent ? new ProducerSequences(async () => initProducerId(await this.cluster.findControllerBroker())) : undefined;
  }

  /** Rejects with kafkajs' error, or a `GokaError` where core would misjudge it (see `portError`). */
  connect(): Promise<void> {
    this.connected ??= this.cluster.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw portError(error);
    });
    return this.connected;
  }

  send(records: readonly OutgoingMessage[]): Promise<ProducedOffset[]> {
    const sent = this.sendAll(records);
    this.sending.add(sent);
    const forget = (): void => {
      this.sending.delete(sent);
    };
    sent.then(forget, forget);
    return sent;
  }

  private async sendAll(records: readonly OutgoingMessage[]): Promise<ProducedOffset[]> {
    if (records.length === 0) return [];
    await this.connect();
    await this.knowTopics(records);
    const slots: Slot[] = chunkByPartition(records);
    const offsets = Array.from({ length: records.length }, () => -1);
    const sequences = this.sequences;
    // An idempotent producer holds the send's partitions: their batches go out in sequence order.
    const release = sequences === undefined ? undefined : await sequences.lock(slots.map((slot) => slot.key));
    let parts: Part[] = [];
    try {
      if (sequences !== undefined) for (const slot of slots) markResent(slot, records, sequences);
      for (let round = 0; ; round++) {
        parts = [];
        for (const slot of slots) {
          const indexes = slot.chunks[round];
          if (indexes !== undefined) parts.push({ slot, indexes, sequence: round === 0 && slot.resent === true ? sequences?.uncertainSequence(slot.key) : undefined });
        }
        if (parts.length === 0) break;
        await this.sendRound(parts, records, offsets);
      }
    } catch (error) {
      // Batches sent but not acknowledged may be written: their partition's next send must repeat them.
      for (const part of parts) {
        if (part.sequence === undefined || part.acknowledged === true) continue;
        sequences?.uncertain(part.slot.key, part.indexes.map((index) => records[index] as OutgoingMessage), part.sequence);
      }
      throw error;
    } finally {
      release?.();
    }
    return records.map((record, index) => ({ topic: record.topic, partition: record.partition, offset: offsets[index] ?? -1 }));
  }

  /** Makes the cluster's metadata cover every topic of `records` (a new topic refreshes it). */
  private async knowTopics(records: readonly OutgoingMessage[]): Promise<void> {
    let missing: Set<string> | undefined;
    for (let i = 0; i < records.length; i++) {
      const { topic } = records[i] as OutgoingMessage;
      if (!this.knownTopics.has(topic)) (missing ??= new Set()).add(topic);
    }
    if (missing === undefined) return;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.cluster.addMultipleTargetTopics([...missing]);
        break;
      } catch (error) {
        const retriable = isRetriableKafkaError(error);
        if (!retriable || attempt >= this.settings.retries) {
          const index = records.findIndex((record) => missing.has(record.topic));
          const { record, key, bytes } = culpritOf(records, [index], error);
          throw new ProduceFailedError(record.topic, record.partition, { cause: error, retriable, key, recordBytes: bytes });
        }
        await sleep(this.backoff(attempt));
      }
    }
    for (const topic of missing) this.knownTopics.add(topic);
  }

  /** Sends each part once acknowledged, retrying the failed ones; fills `offsets`. */
  private async sendRound(parts: readonly Part[], records: readonly OutgoingMessage[], offsets: number[]): Promise<void> {
    let pending = parts;
    for (let attempt = 0; ; attempt++) {
      const failures: Array<{ readonly part: Part; readonly error: unknown }> = [];
      // An idempotent producer first needs its producer id: asking for it can fail like a send (a
      // coordinator loading, a broker gone), and is retried like one.
      const assigned = this.sequences === undefined ? undefined : await this.assignSequences(pending, this.sequences).catch((error: unknown) => error);
      if (assigned !== undefined) for (const part of pending) failures.push({ part, error: assigned });
      const byLeader = new Map<string, Part[]>();
      for (const part of assigned === undefined ? pending : []) {
        const nodeId = this.leaderOf(part.slot);
        if (nodeId === undefined) {
          failures.push({ part, error: retriableError(NO_LEADER) });
          continue;
        }
        let list = byLeader.get(nodeId);
        if (list === undefined) byLeader.set(nodeId, (list = []));
        list.push(part);
      }
      await Promise.all(
        [...byLeader].map(async ([nodeId, leaderParts]) => {
          try {
            const results = await this.request(nodeId, leaderParts, records);
            for (const part of leaderParts) {
              const result = results.find((r) => r.topic === part.slot.topic && r.partition === part.slot.partition);
              if (result === undefined) failures.push({ part, error: retriableError(PARTIAL_ACK) });
              else if (result.errorCode !== 0) failures.push({ part, error: this.partitionError(part, result.errorCode) });
              else {
                part.indexes.forEach((index, position) => (offsets[index] = result.baseOffset + position));
                part.acknowledged = true;
                if (part.sequence !== undefined) this.sequences?.acknowledged(part.slot.key, part.sequence);
              }
            }
          } catch (error) {
            for (const part of leaderParts) failures.push({ part, error });
          }
        }),
      );
      if (failures.length === 0) return;
      const fatal = failures.find(({ error }) => !isRetriableKafkaError(error));
      const failed = fatal ?? (failures[0] as { readonly part: Part; readonly error: unknown });
      if (fatal !== undefined || attempt >= this.settings.retries) {
        // Name the record that failed (not the send's first), and tell the caller which records
        // were written before the failure, so that it can retry only the others.
        const { record, key, bytes } = culpritOf(records, failed.part.indexes, failed.error);
        throw new ProduceFailedError(record.topic, record.partition, {
          cause: failed.error,
          retriable: fatal === undefined,
          key,
          recordBytes: bytes,
          acknowledgedOffsets: [...offsets],
        });
      }
      await sleep(this.backoff(attempt));
      await this.cluster.refreshMetadata().catch(() => undefined);
      pending = failures.map(({ part }) => part);
    }
  }

  private async request(nodeId: string, parts: readonly Part[], records: readonly OutgoingMessage[]): Promise<ProducePartitionResult[]> {
    const broker = await this.cluster.findBroker({ nodeId });
    const version = negotiatedVersion(broker, PRODUCE_API_KEY, MIN_PRODUCE_VERSION, MAX_PRODUCE_VERSION);
    if (version === undefined) throw new Error(UNSUPPORTED);
    const body = encodeProduceRequest({
      acks: this.settings.acks,
      timeoutMs: this.settings.timeoutMs,
      compression: this.settings.compression,
      partitions: parts.map(({ slot, indexes, sequence }) => ({
        topic: slot.topic,
        partition: slot.partition,
        records: indexes.map((index) => records[index] as OutgoingMessage),
        sequence,
      })),
    });
    return sendRawRequest(broker, {
      apiKey: PRODUCE_API_KEY,
      apiVersion: version,
      apiName: 'Produce',
      body,
      decode: (payload) => decodeProduceResponse(version, payload),
    });
  }

  /** Gives each part without one its sequence (a part keeps it through its retries). */
  private async assignSequences(parts: readonly Part[], sequences: ProducerSequences): Promise<void> {
    if (parts.every((part) => part.sequence !== undefined)) return;
    const identity = await sequences.identity();
    for (const part of parts) part.sequence ??= sequences.assign(part.slot.key, part.indexes.length, identity);
  }

  /**
   * The error of a partition the broker refused: an idempotence error becomes typed; an unknown
   * producer id (the broker forgot it) takes a new id, and the part is sent again under it.
   */
  private partitionError(part: Part, code: number): unknown {
    const error = kafkaErrorFromCode(code);
    if (this.sequences === undefined) return error;
    const typed = idempotenceError(code, part.slot.topic, part.slot.partition, part.sequence, error);
    if (typed !== 'unknown-producer') return typed ?? error;
    this.sequences.reset();
    part.sequence = undefined;
    return retriableError(`the broker no longer knows the producer id (${error.message}); sending under a new one`);
  }

  private leaderOf(slot: Slot): string | undefined {
    try {
      return Object.keys(this.cluster.findLeaderForPartitions(slot.topic, [slot.partition]))[0];
    } catch {
      return undefined;
    }
  }

  private backoff(attempt: number): number {
    return Math.min(this.settings.maxRetryMs, this.settings.initialRetryMs * 2 ** attempt);
  }

  async disconnect(): Promise<void> {
    await Promise.allSettled(this.sending);
    const connected = this.connected;
    if (connected === undefined) return;
    this.connected = undefined;
    await connected.catch(() => undefined);
    await this.cluster.disconnect();
  }
}

/** A retriable error of our own (kafkajs' classifier reads the `retriable` flag). */
function retriableError(message: string): Error {
  return Object.assign(new Error(message), { retriable: true });
}

/**
 * When `slot`'s records start with its partition's uncertain batch (a caller sending again what a
 * failed send did not get acknowledged), makes that batch the slot's first chunk, alone, so that it
 * is sent again exactly as before and the broker can tell a duplicate.
 */
function markResent(slot: Slot, records: readonly OutgoingMessage[], sequences: ProducerSequences): void {
  // Almost every send: nothing uncertain in this partition, nothing to look at.
  if (sequences.uncertainSequence(slot.key) === undefined) return;
  const indexes = slot.chunks.flat();
  const count = sequences.resent(slot.key, indexes.map((index) => records[index] as OutgoingMessage));
  if (count === 0) return;
  const rest = chunkByPartition(indexes.slice(count).map((index) => records[index] as OutgoingMessage))[0]?.chunks ?? [];
  slot.chunks = [indexes.slice(0, count), ...rest.map((chunk) => chunk.map((position) => indexes[count + position] as number))];
  slot.resent = true;
}
