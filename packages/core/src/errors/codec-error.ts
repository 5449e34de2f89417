import { GokaError } from './goka-error.js';
import { quote } from '../util/quote.js';
import type { GokaErrorCode } from './error-codes.js';

/** Where a codec failure happened, as far as the caller knows. */
export interface CodecFailureContext {
  readonly codec: string;
  readonly operation: 'encode' | 'decode';
  readonly reason: string;
  readonly topic?: string | undefined;
  readonly key?: string | undefined;
}

/** `int64 codec cannot decode the value of topic "t" key "k": <reason>` (topic/key when known). */
export function codecFailed(ctx: CodecFailureContext): string {
  let where = '';
  if (ctx.topic !== undefined) {
    where = ` the value of topic ${quote(ctx.topic)}`;
    if (ctx.key !== undefined) where += ` key ${quote(ctx.key)}`;
  } else if (ctx.key !== undefined) {
    where = ` the value of key ${quote(ctx.key)}`;
  }
  return `${ctx.codec} codec cannot ${ctx.operation}${where}: ${ctx.reason}`;
}

/** Whether a codec failed turning a value into bytes or bytes into a value. */
export type CodecOperation = 'encode' | 'decode';

/** Fields of a {@link CodecError}. */
export interface CodecErrorInit {
  /** Codec name (`int64`, `string`, `json`, or a user codec's `name`). */
  readonly codec: string;
  readonly operation: CodecOperation;
  /** What went wrong, without location (e.g. `"abc" is not a decimal integer`). */
  readonly reason: string;
  /** Topic of the record, when known. */
  readonly topic?: string | undefined;
  /** Key of the record, when known. */
  readonly key?: string | undefined;
  readonly cause?: unknown;
}

/** Where a codec was used, added by the caller that knows the record (see {@link CodecError.wrap}). */
export interface CodecErrorContext {
  readonly operation: CodecOperation;
  /** Codec name to report when the thrown error is not already a `CodecError`. */
  readonly codec?: string | undefined;
  readonly topic?: string | undefined;
  readonly key?: string | undefined;
}

/**
 * A value could not be encoded or decoded. Codecs throw it without location (they only see a value
 * or bytes); the engine, which knows the record, re-throws it with topic and key through
 * {@link CodecError.wrap}.
 */
export class CodecError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_CODEC';

  readonly codec: string;
  readonly operation: CodecOperation;
  /** The failure without location, reused when the error is wrapped with more context. */
  readonly reason: string;
  readonly topic: string | undefined;
  readonly key: string | undefined;

  constructor(init: CodecErrorInit) {
    super(new.target.code, codecFailed(init), 'cause' in init ? { cause: init.cause } : {});
    this.codec = init.codec;
    this.operation = init.operation;
    this.reason = init.reason;
    this.topic = init.topic;
    this.key = init.key;
  }

  /**
   * Turns anything a codec threw into a `CodecError` naming topic and key. A `CodecError` keeps its
   * codec and reason (its own cause, or else itself, becomes the cause); any other error becomes the
   * `cause` and its message the reason.
   */
  static wrap(error: unknown, context: CodecErrorContext): CodecError {
    if (error instanceof CodecError) {
      return new CodecError({
        codec: error.codec,
        operation: error.operation,
        reason: error.reason,
        topic: context.topic ?? error.topic,
        key: context.key ?? error.key,
        // Flatten: keep the codec's own cause, or the codec's error itself (its stack shows where it failed).
        cause: 'cause' in error ? error.cause : error,
      });
    }
    return new CodecError({
      codec: context.codec ?? 'custom',
      operation: context.operation,
      reason: error instanceof Error ? error.message : String(error),
      topic: context.topic,
      key: context.key,
      cause: error,
    });
  }
}
