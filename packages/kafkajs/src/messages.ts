/**
 * The error messages of the kafkajs adapter (core writes its messages next to the error classes and
 * in a `*.messages.ts` per folder; these are the adapter's, worded the same way).
 */

/** Longest rendering of a user-supplied string inside a message. */
const MAX_QUOTED = 120;

/** Quotes a user-supplied string for a message: JSON-escaped, cut after {@link MAX_QUOTED} chars. */
export function quote(text: string): string {
  const cut = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
  return JSON.stringify(cut);
}

// ---------------------------------------------------------------------------------------------
// connection

/** Reason of a start-up connect that found no broker in time: `no broker answered within 3000 ms (connectionTimeout): <last error>`. */
export function kafkaConnectTimedOut(timeoutMs: number, lastError: string): string {
  return `no broker answered within ${timeoutMs} ms (connectionTimeout): ${lastError}`;
}

// ---------------------------------------------------------------------------------------------
// consumer group (group membership on the coordinator)

export const groupMetadataUnreadable = (groupId: string, memberId: string, reason: string): string =>
  `cannot read the consumer-protocol metadata of member ${quote(memberId)} in group ${quote(groupId)}: ${reason}`;
export const groupProtocolInconsistent = (groupId: string, assignor: string): string =>
  `Kafka refused to add this member to group ${quote(groupId)} (INCONSISTENT_GROUP_PROTOCOL): the group's members ` +
  `use another partition assignor or protocol type; this member offers assignor ${quote(assignor)} with protocol ` +
  `type "consumer", and every member of the group must offer it`;
export const groupJoinRefused = (groupId: string, reason: string): string =>
  `Kafka refused to add this member to group ${quote(groupId)}: ${reason}`;
export const groupRequestFailed = (groupId: string, request: string, reason: string): string =>
  `${request} for group ${quote(groupId)} failed: ${reason}`;
