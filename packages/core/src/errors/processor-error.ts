import { GokaError } from './goka-error.js';
import type { GokaErrorOptions } from './goka-error.js';
import { quote } from '../util/quote.js';
import type { GokaErrorCode } from './error-codes.js';

/** Where a message failed: `group "g" topic "t" partition 3 offset 17 key "k"`. */
export interface MessageLocation {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
}

export function messageLabel(at: MessageLocation): string {
  return `group ${quote(at.group)} topic ${quote(at.topic)} partition ${at.partition} offset ${at.offset} key ${quote(at.key)}`;
}

export function processingFailed(at: MessageLocation, reason: string): string {
  return `error processing message (${messageLabel(at)}): ${reason}`;
}

export function commitFailedAsync(at: MessageLocation, reason: string): string {
  return `asynchronous error from callback: could not commit message (${messageLabel(at)}): ${reason}`;
}

/** A processor was used wrongly or cannot do what was asked; names the group. */
export class ProcessorError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_PROCESSOR';

  constructor(
    message: string,
    readonly group: string,
    options: GokaErrorOptions = {},
  ) {
    super(new.target.code, message, options);
  }
}

/** A context method was misused inside a callback (undeclared output, state without persist, ...). */
export class ContextError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_CONTEXT';

  constructor(message: string, options: GokaErrorOptions = {}) {
    super(new.target.code, message, options);
  }
}

/**
 * A message could not be processed: its callback threw (or called `ctx.fail`), its value did not
 * decode, or one of its side effects failed. The processor stops; nothing from this message on is
 * committed, so the next run processes it again. Names group, topic, partition, offset and key.
 */
export class ProcessingError extends GokaError implements MessageLocation {
  static readonly code: GokaErrorCode = 'GOKA_PROCESSING';

  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  /** `true` when a side effect (a produce, a deferred commit) failed after the callback returned. */
  readonly async: boolean;

  constructor(at: MessageLocation, options: GokaErrorOptions & { readonly async?: boolean } = {}) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause ?? 'unknown error');
    super(new.target.code, options.async === true ? commitFailedAsync(at, reason) : processingFailed(at, reason), options);
    this.group = at.group;
    this.topic = at.topic;
    this.partition = at.partition;
    this.offset = at.offset;
    this.key = at.key;
    this.async = options.async === true;
  }
}

/** `visitAll` was aborted by a rebalance or shutdown before every key was visited. */
export class VisitAbortedError extends ProcessorError {
  static override readonly code: GokaErrorCode = 'GOKA_VISIT_ABORTED';

  constructor(
    message: string,
    group: string,
    readonly visited: number,
  ) {
    super(message, group);
  }
}
