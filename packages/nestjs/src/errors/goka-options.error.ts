import type { GokaErrorOptions } from '@goka/core';
import { GokaModuleError } from './goka-module.error.js';
import type { GokaModuleErrorCode } from './error-codes.js';

/**
 * `GokaModule` options (or `registerView` / `registerEmitter` options) are unusable: a bad storage
 * setting, a codec conflict (missing or bad `brokers` are core's `KafkaBrokersError`). Thrown while
 * the module's providers are created, so the app does not start.
 *
 * @publicApi
 */
export class GokaOptionsError extends GokaModuleError {
  static readonly code: GokaModuleErrorCode = 'GOKA_MODULE_OPTIONS';

  constructor(message: string, options: GokaErrorOptions = {}) {
    super(new.target.code, message, options);
  }
}
