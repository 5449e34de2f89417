import type { GokaErrorCode } from './error-codes.js';

/** Options of {@link GokaError} and its subclasses. */
export interface GokaErrorOptions {
  /** The underlying error, kept as `error.cause`. */
  readonly cause?: unknown;
  /** Whether retrying the same operation later may succeed (e.g. a store still locked during a rebalance). */
  readonly retriable?: boolean;
}

/**
 * Base class of every error the library throws. `code` is a stable string to switch on
 * (`GOKA_CODEC`, `GOKA_STORAGE_LOCKED`, ...; one per class, listed in the README), `name` is the
 * concrete class name, `cause` is passed through, and `retriable` tells whether trying again later may
 * succeed. A subclass declares its code as `static readonly code` and passes `new.target.code`.
 */
export class GokaError extends Error {
  /** What went wrong, as a stable string (see the README's errors table). */
  readonly code: GokaErrorCode;
  /** Whether retrying the same operation later may succeed. */
  readonly retriable: boolean;

  constructor(code: GokaErrorCode, message: string, options: GokaErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    Object.defineProperty(this, 'name', {
      value: new.target.name,
      enumerable: false,
      configurable: true,
      writable: true,
    });
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}
