import type { CodecServices } from '../codec/codec-bind-context.js';
import type { ProcessContext } from '../context/process-context.js';
import type { CompressionType } from '../kafka/compression.js';
import type { Assignment } from '../kafka/consumer-group.js';
import type { KafkaConnectionOptions } from '../kafka/connection.js';
import type { Headers } from '../kafka/message.js';
import type { Hasher } from '../partitioner/hasher.js';
import type { ErrorPolicy } from '../policy/error-policy.js';
import type { StorageFactory } from '../storage/storage.js';
import type { UpdateCallback } from '../table/update-callback.js';
import type { TopicManagerOptions } from '../topic/topic-manager-options.js';
import type { CreateTopicsOptions } from '../topic/topic-creation.js';
import type { GokaLogger } from '../util/logger.js';

/** What happens with input messages whose value is null (a tombstone). */
export type NilHandling = 'ignore' | 'process' | 'decode';

/**
 * How a partition retries the produce of a batch that failed with a retriable error (the broker is
 * restarting, a leader moved, a request timed out). The batch is sent again, after a backoff that
 * doubles from `initialMs` up to `maxMs`, before any later batch of the partition (order holds);
 * nothing of it is committed or written to local storage before Kafka acknowledged it. Retries end
 * when the generation ends (a rebalance or `stop`): the batch is then processed again by whoever owns
 * the partition next. A non-retriable error stops the processor at once.
 */
export interface ProduceRetryOptions {
  /**
   * How long a batch is retried before the processor stops with the last error.
   * @default Infinity (as long as the generation lasts: processors ride out broker restarts)
   */
  readonly timeoutMs?: number;
  /** The first wait. @default 100 */
  readonly initialMs?: number;
  /** The longest wait. @default 5000 */
  readonly maxMs?: number;
}

/**
 * What a processor guarantees when it crashes, is fenced or loses its partitions:
 * - `at-least-once` (Goka): every input message's effects are written at least once; after a crash
 *   the messages since the last commit are processed again (a count may go up twice).
 * - `exactly-once` (Kafka Streams' `exactly_once_v2`): the table writes, outputs, loopbacks and input
 *   offsets of each commit interval are committed in one Kafka transaction or not at all; a failure
 *   aborts it and the instance processes again from the last committed offsets, with its local store
 *   holding committed state only. Inputs, tables and joins are read `read_committed`.
 */
export type ProcessingGuarantee = 'at-least-once' | 'exactly-once';

/** Options of {@link Processor} (Goka's processor options). */
export interface ProcessorOptions extends KafkaConnectionOptions {
  /** Where the group table, joins and lookups are stored. @default memoryStorageFactory() */
  readonly storage?: StorageFactory;
  /** @default streamLogger('warn') */
  readonly logger?: GokaLogger;
  /** Key → partition of outputs, loopbacks and `get`. @default Goka's FNV-1a */
  readonly hasher?: Hasher;
  /** @default `goka-processor-<group>` */
  readonly clientId?: string;
  /** Where a partition without a committed offset starts. @default 'newest' (as Goka) */
  readonly initialOffset?: 'oldest' | 'newest';
  /**
   * Keep every partition of the group table this instance is not assigned warm in local storage
   * (catching up forever), so `get` serves it and a failover recovers only the tail. Useful with a
   * persistent storage. @default false
   */
  readonly hotStandby?: boolean;
  /**
   * Recover every partition of the group table once before joining the group, so the first
   * assignment starts from warm local storage. Useful with a persistent storage. @default false
   */
  readonly recoverAhead?: boolean;
  /** Null-valued input messages: skipped and committed, passed as `null`, or decoded. @default 'ignore' */
  readonly nilHandling?: NilHandling;
  /** Called with each new assignment before its partitions are recovered. */
  readonly rebalanceCallback?: (assignment: Assignment) => void;
  /** Applies table and join records read during recovery and catch-up. @default put / delete */
  readonly updateCallback?: UpdateCallback;
  /** Wraps the context handed to every callback and visitor. @default identity */
  readonly contextWrapper?: <V>(context: ProcessContext<V>) => ProcessContext<V>;
  /** Headers added to every emit and loopback (not to table writes, as in Goka). */
  readonly defaultHeaders?: Headers;
  /**
   * Trace with OpenTelemetry when the application registered a tracer provider (`@opentelemetry/api`
   * installed): each callback runs in a `process` span whose parent comes from the record's
   * `traceparent` header, and the records it writes carry its trace context. `false` opts out.
   * @default true
   */
  readonly tracing?: boolean;
  /** How topics are checked and created. */
  readonly topicManager?: TopicManagerOptions;
  /**
   * Create the missing input and output topics at start (Goka's `EnsureStreamExists`, opt-in); the
   * group table and loop are created in any case. A created input takes the partition count of its
   * copartitioned siblings (other inputs, joined tables, the group table, the loop) when one exists,
   * else `partitions`; a created output takes the group's partition count unless its `topics` entry
   * sets one. Joined and looked-up tables are never created. `true` is `{}`.
   * @default false (a missing input or output fails the start, as in Goka)
   */
  readonly createTopics?: boolean | CreateTopicsOptions;
  /**
   * How often the committed offsets are sent to Kafka; with `exactly-once`, how long a transaction
   * collects work before it commits (outputs become visible to `read_committed` readers then).
   * @default 1000 (at-least-once), 100 (exactly-once, as Kafka Streams)
   */
  readonly commitIntervalMs?: number;
  /**
   * Memory bound of one instance over all its partitions: the bytes (keys and values, plus 128 per
   * message) of the batches whose callbacks ran but whose output Kafka has not acknowledged yet (with
   * `exactly-once`: not yet sent in the transaction). A partition waits for room before its next batch;
   * a single larger batch still runs alone. Raise it for more pipelining on a slow broker, lower it for
   * many partitions with large values.
   * @default 8388608 (8 MiB)
   */
  readonly maxInFlightBytes?: number;
  /** @default 'at-least-once' (Goka) */
  readonly guarantee?: ProcessingGuarantee;
  /**
   * `exactly-once`: this instance's `transactional.id`. Give each instance a name that stays the same
   * across its restarts (a pod name, a host name plus a slot): the restarted instance then aborts the
   * transaction its predecessor left open at once, instead of after `transactionTimeoutMs`, during
   * which `read_committed` readers of what it wrote wait. Two running instances must never share one.
   * @default `<clientId>-<host>-<pid>-<random>` (unique per process)
   */
  readonly transactionalId?: string;
  /** `exactly-once`: how long the broker keeps a transaction of this instance open before aborting it. @default 10000 */
  readonly transactionTimeoutMs?: number;
  /** Consumer-group session timeout. @default 10000 */
  readonly sessionTimeoutMs?: number;
  /** Consumer-group heartbeat interval. @default 3000 */
  readonly heartbeatIntervalMs?: number;
  /**
   * Compression of every record batch the processor writes: outputs (`ctx.emit`), loopbacks and
   * group-table writes (they share one producer). Inputs are read whatever their codec. Throws a
   * `CompressionUnavailableError` from `run()` when this runtime cannot compress with it (zstd before
   * Node 22.15). @default 'none' (see the README's "Compression")
   */
  readonly compression?: CompressionType;
  /** Retries of produces that failed with a retriable error (broker restarts). */
  readonly produceRetry?: ProduceRetryOptions;
  /**
   * What happens when an input (or loop) callback throws, rejects or calls `ctx.fail`, or an input
   * value does not decode: `'fail'` stops the processor (Goka), `'skip'`, `deadLetter()`, `retry()`
   * or a function deciding per error. An edge's own `onError` wins. Table, join and lookup values
   * that do not decode, visitors and deferred commits that fail always stop the processor.
   * @default 'fail'
   */
  readonly onError?: ErrorPolicy;
  /**
   * What the graph's codecs get in `bind` (see `Codec.bind`), e.g. `{ schemaRegistry: client }` for
   * the unbound codecs of `@goka/schema-registry`. @default {}
   */
  readonly codecServices?: CodecServices;
}

/** Options of {@link Processor.visitAll}. */
export interface VisitOptions {
  /** Cancels the visit between keys; it then rejects with a `VisitAbortedError`. */
  readonly signal?: AbortSignal;
}
