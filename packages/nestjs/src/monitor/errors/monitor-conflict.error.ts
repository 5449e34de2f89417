import type { GokaErrorOptions } from '@goka/core';
import { GokaModuleError } from '../../errors/goka-module.error.js';
import type { GokaModuleErrorCode } from '../../errors/error-codes.js';

/**
 * A monitor request conflicts with the current state: starting a running action, stopping an idle
 * one, querying a partition this instance does not hold (HTTP 409).
 *
 * @publicApi
 */
export class MonitorConflictError extends GokaModuleError {
  static readonly code: GokaModuleErrorCode = 'GOKA_MONITOR_CONFLICT';

  constructor(message: string, options: GokaErrorOptions = {}) {
    super(new.target.code, message, options);
  }
}
