/** Messages of `ContextError`, for misuse of a callback context (Goka's wording where Goka has one). */

import { quote } from '../util/quote.js';

export const ctxEmptyTopic = (): string => 'cannot emit to empty topic';

export const ctxEmitToLoop = (): string => 'cannot emit to loop topic (use loopback instead)';

export const ctxEmitToTable = (): string => 'cannot emit to table topic (use setValue instead)';

export const ctxNotOutput = (topic: string): string =>
  `topic ${quote(topic)} is not configured for output. Did you specify output(${quote(topic)}, codec) when defining the group?`;

export const ctxStateless = (): string => 'cannot access state in stateless processor (the group has no persist edge)';

export const ctxNilValue = (): string => 'cannot set null or undefined as value (use delete() to remove the key)';

export const ctxNoLoop = (): string => 'no loop topic configured (the group has no loop edge)';

export const ctxJoinNotSubscribed = (table: string): string =>
  `table ${quote(table)} not subscribed (declare join(${quote(table)}, codec) in the group)`;

export const ctxLookupNotSubscribed = (table: string): string =>
  `topic ${quote(table)} not subscribed (declare lookup(${quote(table)}, codec) in the group)`;

export const ctxOutsideCallback = (method: string): string =>
  `ctx.${method}() called after the callback returned: the context is only valid inside its callback`;
