/** Options of {@link GokaError} and its subclasses. */
export interface GokaErrorOptions {
  /** The underlying error, kept as `error.cause`. */
  readonly cause?: unknown;
  /** Whether retrying the same operation later may succeed (e.g. a store still locked during a rebalance). */
  readonly retriable?: boolean;
}

/**
 * Base class of every error the library throws. `name` is the concrete class name
 * (`CodecError`, `StorageLockedError`, ...), `cause` is passed through, and `retriable` tells
 * whether trying again later may succeed.
 */
export class GokaError extends Error {
  /** Whether retrying the same operation later may succeed. */
  readonly retriable: boolean;

  constructor(message: string, options: GokaErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    Object.defineProperty(this, 'name', {
      value: new.target.name,
      enumerable: false,
      configurable: true,
      writable: true,
    });
    this.retriable = options.retriable ?? false;
  }
}
