import { CodecError } from '../errors/codec-error.js';
import type { CodecOperation } from '../errors/codec-error.js';

/** Builds the location-free `CodecError` a built-in codec throws. */
export function codecFailure(
  codec: string,
  operation: CodecOperation,
  reason: string,
  cause?: unknown,
): CodecError {
  return new CodecError({ codec, operation, reason, ...(cause !== undefined ? { cause } : {}) });
}
