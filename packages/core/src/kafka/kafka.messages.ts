/** Messages of the Kafka connection and the consumer-group assignors. */

import { quote } from '../util/quote.js';

/** A component was given neither `brokers` nor a `kafka` adapter. */
export function missingConnection(component: string): string {
  return `${component} needs \`brokers\` (e.g. ['127.0.0.1:9092']) or \`kafka\` (an adapter such as new MemoryKafka())`;
}

/** Goka's copartition strategy message, naming the odd topic. */
export function assignNotCopartitioned(topic: string, expected: number, actual: number): string {
  return (
    `Error balancing. Not all topics are copartitioned. For goka, all topics need to have the same number of ` +
    `partitions: topic ${quote(topic)} has ${actual} partitions, others have ${expected}`
  );
}

/** Goka's strict copartition strategy message. */
export function assignTopicSetsDiffer(first: string, other: string): string {
  return (
    `Not all members request the same list of topics. A group-name clash might be the reason ` +
    `(members ${quote(first)} and ${quote(other)})`
  );
}

/** Members of one group offered different assignors. */
export function assignorMismatch(groupId: string, names: readonly string[]): string {
  return `members of group ${quote(groupId)} offer different partition assignors: ${names.map(quote).join(', ')}`;
}
