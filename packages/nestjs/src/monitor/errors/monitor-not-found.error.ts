import type { GokaErrorOptions } from '@goka/core';
import { GokaModuleError } from '../../errors/goka-module.error.js';
import type { GokaModuleErrorCode } from '../../errors/error-codes.js';

/**
 * The monitor has no processor, view, query source, action or asset of that name (HTTP 404).
 *
 * @publicApi
 */
export class MonitorNotFoundError extends GokaModuleError {
  static readonly code: GokaModuleErrorCode = 'GOKA_MONITOR_NOT_FOUND';

  constructor(message: string, options: GokaErrorOptions = {}) {
    super(new.target.code, message, options);
  }
}
