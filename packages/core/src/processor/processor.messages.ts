/** Messages (errors and log lines) of the processor. */

import { describeType, quote } from '../util/quote.js';

export const processorRunOnce = (group: string): string =>
  `processor of group ${quote(group)} was already run; a processor runs once (create a new one to run again)`;

export const processorStateless = (group: string, what: string): string =>
  `cannot ${what} in the stateless processor of group ${quote(group)} (the group has no persist edge)`;

export const processorMissingPartition = (group: string, partition: number): string =>
  `the processor of group ${quote(group)} does not hold partition ${partition} right now`;

export const processorNoVisitor = (group: string, name: string): string =>
  `unconfigured visit callback ${quote(name)} in group ${quote(group)}. Did you define the group with visitor(${quote(name)}, callback)?`;

export const visitAborted = (group: string, name: string): string =>
  `visitAll(${quote(name)}) of group ${quote(group)} aborted due to a rebalance or shutdown`;

export const claimsNotCopartitioned = (group: string): string =>
  `session claims of group ${quote(group)} are not copartitioned: every topic must be assigned the same partitions`;

export const processorNotRunning = (group: string): string =>
  `the processor of group ${quote(group)} is not running`;

export const processorProduceWillRetry = (
  group: string,
  partition: number,
  topic: string,
  reason: string,
  waitMs: number,
  failingForMs: number,
): string =>
  `group ${quote(group)} partition ${partition}: producing the records of a batch of ${quote(topic)} failed ` +
  `(${reason}); will retry in ${waitMs} ms (failing for ${failingForMs} ms); later batches of the partition wait, ` +
  'nothing of it is committed before it is acknowledged';

export const processorProduceRecovered = (group: string, partition: number, topic: string, failingForMs: number): string =>
  `group ${quote(group)} partition ${partition}: producing the records of a batch of ${quote(topic)} succeeded ` +
  `again after ${failingForMs} ms of retries`;

export const processorProduceAbandoned = (group: string, partition: number, topic: string): string =>
  `group ${quote(group)} partition ${partition}: the generation ended while the records of a batch of ${quote(topic)} ` +
  'could not be produced; the batch and everything after it are not committed and will be processed again';

export const processorCommitFailed = (group: string, reason: string): string =>
  `group ${quote(group)}: committing offsets failed (${reason}); the messages since the last commit will be processed again ` +
  'if the partitions move before the next commit succeeds';

export const processorStatsNoHighWatermarks = (group: string, reason: string): string =>
  `group ${quote(group)}: stats report the last known high-water marks, Kafka did not answer (${reason})`;

/** `processor "g": option compression must be one of none, gzip, snappy, lz4, zstd, got "brotli"` */
export function invalidCompression(owner: string, allowed: readonly string[], value: unknown): string {
  return `${owner}: option compression must be one of ${allowed.join(', ')}, got ${typeof value === 'string' ? quote(value) : describeType(value)}`;
}
