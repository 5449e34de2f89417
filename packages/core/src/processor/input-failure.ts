import { CodecError } from '../errors/codec-error.js';
import { ProduceFailedError } from '../errors/kafka-error.js';
import type { MessageLocation } from '../errors/processor-error.js';
import type { GroupGraph } from '../graph/group-graph.js';
import { checkErrorPolicy } from '../policy/error-policy.js';
import { findCause } from '../util/cause-chain.js';
import type { ErrorPolicy, FailedRecord, FinalErrorPolicy, RetryPolicy } from '../policy/error-policy.js';

/**
 * The policy for one failed record: `policy` itself, or what a policy function returns for it
 * (checked; a function that throws or returns no policy throws, and the processor stops with that).
 */
export function decidePolicy(policy: ErrorPolicy, error: unknown, record: FailedRecord, group: string): FinalErrorPolicy | RetryPolicy {
  if (typeof policy !== 'function') return policy;
  const decided: unknown = policy(error, record);
  checkErrorPolicy(decided, `the onError function of group "${group}" for ${record.topic}/${record.partition}@${record.offset}`, 'decided', group);
  return decided as FinalErrorPolicy | RetryPolicy;
}

/**
 * Whether `error` is a value of the group table, a joined table or a lookup table that did not
 * decode: bad table data, not a bad input record, so no input policy applies (the processor stops
 * with the table and key named).
 */
export function isTableDecodeError(error: unknown, graph: GroupGraph<unknown>): boolean {
  if (!(error instanceof CodecError) || error.operation !== 'decode' || error.topic === undefined) return false;
  const topic = error.topic;
  return (graph.groupTable() !== undefined && topic === graph.tableTopic) || graph.isJoined(topic) || graph.isLookup(topic);
}

/** `topic/partition@offset (key "k") of group g`, for log lines. */
export function describe(at: MessageLocation): string {
  return `${at.topic}/${at.partition}@${at.offset} (key "${at.key}") of group ${at.group}`;
}

/** The structured fields of a log line about `at`. */
export function logFields(at: MessageLocation): Record<string, unknown> {
  return { group: at.group, topic: at.topic, partition: at.partition, offset: at.offset, key: at.key };
}

/** An error's message (what a log line shows as the cause). */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
}

/** The record a failed produce names (a `ProduceFailedError` with a key in `error`'s cause chain), if any. */
export function refusedRecord(error: unknown): { readonly topic: string; readonly partition: number; readonly key: string } | undefined {
  return findCause(error, (cause) =>
    cause instanceof ProduceFailedError && cause.key !== undefined ? { topic: cause.topic, partition: cause.partition, key: cause.key } : undefined,
  );
}
