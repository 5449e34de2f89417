import type { GokaErrorOptions } from '@goka/core';
import { GokaModuleError } from '../../errors/goka-module.error.js';
import type { GokaModuleErrorCode } from '../../errors/error-codes.js';

/**
 * A monitor request misses something it needs, such as the key of a query (HTTP 400).
 *
 * @publicApi
 */
export class MonitorBadRequestError extends GokaModuleError {
  static readonly code: GokaModuleErrorCode = 'GOKA_MONITOR_BAD_REQUEST';

  constructor(message: string, options: GokaErrorOptions = {}) {
    super(new.target.code, message, options);
  }
}
