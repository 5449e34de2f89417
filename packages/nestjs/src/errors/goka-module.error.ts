import { GokaError } from '@goka/core';
import type { GokaErrorOptions } from '@goka/core';
import type { GokaModuleErrorCode } from './error-codes.js';

/**
 * Base class of the errors @goka/nestjs throws (itself a core `GokaError`: `code` is one of
 * {@link GokaModuleErrorCode}, `name` is the concrete class name, `cause` is passed through).
 *
 * @publicApi
 */
export class GokaModuleError extends GokaError {
  declare readonly code: GokaModuleErrorCode;

  constructor(code: GokaModuleErrorCode, message: string, options: GokaErrorOptions = {}) {
    super(code, message, options);
  }
}
