import type { Codec } from '../codec/codec.js';
import type { ProcessContext } from '../context/process-context.js';
import { GokaError } from '../errors/goka-error.js';
import { ProcessingError } from '../errors/processor-error.js';
import type { MessageLocation } from '../errors/processor-error.js';
import type { ProcessCallback } from '../graph/process-callback.js';
import type { KafkaMessage } from '../kafka/message.js';
import { defaultDeadLetterTopic } from '../policy/error-policy.js';
import type { FailedRecord, FinalErrorPolicy, RetryPolicy } from '../policy/error-policy.js';
import type { MessageTrace } from '../tracing/process-span.js';
import { sleep } from '../util/sleep.js';
import type { BatchState } from './batch-state.js';
import type { PendingMessage } from './commit-tracker.js';
import { deadLetterHeaders } from './dead-letter-record.js';
import { decidePolicy, describe, isTableDecodeError, logFields, reasonOf } from './input-failure.js';
import type { PartitionCounters } from './partition-counters.js';
import type { PartitionProcessorDeps } from './partition-deps.js';

const EMPTY = Buffer.alloc(0);

/** Whether `error` or one of its causes is a retriable GokaError (a codec wraps what its decoder threw). */
function retriableCause(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 8; depth++) {
    if (current instanceof GokaError && current.retriable) return true;
    current = current.cause;
  }
  return false;
}

/**
 * The input message being run: what a partition processor's `runOnce` needs, and again for a retry.
 * One per batch, its message fields set for each message (no allocation per message).
 */
export interface MessageRun {
  readonly callback: ProcessCallback<unknown, ProcessContext<unknown>> | undefined;
  readonly codec: Codec<unknown>;
  readonly topic: string;
  readonly batch: BatchState;
  readonly signal: AbortSignal;
  message: KafkaMessage;
  key: string;
  entry: PendingMessage;
  /** The message's `process` span when tracing is on: its runs happen within it. */
  trace: MessageTrace | undefined;
}

/** The partition processor whose message failed. */
export interface ErrorPolicyHost {
  readonly partition: number;
  readonly deps: PartitionProcessorDeps;
  readonly counters: PartitionCounters;
  /** Whether the last run failed decoding the value (rather than in the callback). */
  decodeFailed(): boolean;
  /** Runs the callback of `run`'s message once more (see `PartitionProcessor.runOnce`). */
  runOnce(run: MessageRun): Promise<void> | undefined;
  location(topic: string, offset: number, key: string): MessageLocation;
}

/**
 * Applies the error policy to `run`'s message, which failed with `error`: retries it, skips it or
 * adds its dead-letter record to the batch (`'released'`: commit past it), gives up when the
 * generation ends during a retry wait (`'interrupted'`: never committed here), or returns the
 * error that stops the processor.
 */
export async function applyErrorPolicy(host: ErrorPolicyHost, run: MessageRun, error: unknown): Promise<ProcessingError | 'released' | 'interrupted'> {
  const { deps, counters } = host;
  const { message, key, topic } = run;
  const at = host.location(topic, message.offset, key);
  const decodeFailed = host.decodeFailed();
  if (!decodeFailed && isTableDecodeError(error, deps.graph)) return new ProcessingError(at, { cause: error });
  const record: FailedRecord = {
    ...at,
    keyBytes: message.key,
    value: message.value,
    headers: message.headers,
    timestamp: message.timestamp,
    decodeFailed,
  };
  let policy: FinalErrorPolicy | RetryPolicy;
  try {
    policy = decidePolicy(deps.errorPolicy(topic), error, record, deps.host.group);
  } catch (decisionError) {
    return new ProcessingError(at, { cause: decisionError });
  }
  let last = error;
  // Bytes that do not decode fail the same way again, unless the decoder said trying later may succeed
  // (a retriable cause: a schema registry that did not answer yet).
  const decodeFinal = decodeFailed && !retriableCause(error);
  let runs = decodeFinal ? 0 : 1;
  if (typeof policy === 'object' && policy.kind === 'retry') {
    for (let left = decodeFinal ? 0 : policy.attempts - 1; left > 0; left--) {
      const waitMs = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** Math.min(runs - 1, 30));
      counters.retried += 1;
      deps.onPolicy?.('retried');
      // The first retry of a record is a warning, the later ones debug lines.
      const log = runs === 1 ? deps.logger.warn : deps.logger.debug;
      log.call(deps.logger, `retrying ${describe(at)} in ${waitMs} ms (run ${runs + 1} of ${policy.attempts}): ${reasonOf(last)}`, logFields(at));
      await sleep(waitMs, run.signal);
      if (run.signal.aborted) return 'interrupted';
      runs += 1;
      try {
        const pending = host.runOnce(run);
        if (pending !== undefined) await pending;
        return 'released';
      } catch (retryError) {
        last = retryError;
        if (host.decodeFailed() && !retriableCause(retryError)) break;
      }
    }
    policy = policy.fallback;
  }
  if (policy === 'fail') return new ProcessingError(at, { cause: last });
  if (policy === 'skip') {
    counters.skipped += 1;
    deps.onPolicy?.('skipped');
    deps.logger.warn(`skipped ${describe(at)} after ${runs} run(s): ${reasonOf(last)}`, logFields(at));
    return 'released';
  }
  const dlq = policy.topic ?? defaultDeadLetterTopic(deps.host.group);
  let partitions: number;
  try {
    partitions = await deps.deadLetterPartitions(dlq);
  } catch (topicError) {
    // The dead-letter topic cannot be created or described: stop naming the record, never drop it.
    return new ProcessingError(at, { cause: topicError });
  }
  run.batch.produceBytes(dlq, host.partition % partitions, message.key ?? EMPTY, message.value, deadLetterHeaders(record, last, runs));
  counters.deadLettered += 1;
  deps.onPolicy?.('deadLettered');
  deps.logger.warn(`sent ${describe(at)} to dead-letter topic ${dlq} after ${runs} run(s): ${reasonOf(last)}`, logFields(at));
  return 'released';
}
