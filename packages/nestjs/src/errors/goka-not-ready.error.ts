import type { GokaErrorOptions } from '@goka/core';
import type { GokaStatus } from '../interfaces/goka-status.interface.js';
import { GokaModuleError } from './goka-module.error.js';
import type { GokaModuleErrorCode } from './error-codes.js';

/**
 * Processors or views did not become ready: one failed or stopped first, or the wait timed out.
 * `status` is the snapshot at that moment; `cause` is the error of the component that failed.
 *
 * @publicApi
 */
export class GokaNotReadyError extends GokaModuleError {
  static readonly code: GokaModuleErrorCode = 'GOKA_NOT_READY';

  constructor(
    message: string,
    readonly status: GokaStatus,
    options?: GokaErrorOptions,
  ) {
    super(new.target.code, message, options);
  }
}
