import type { GokaErrorOptions } from '@goka/core';
import { GokaModuleError } from '../../errors/goka-module.error.js';
import type { GokaModuleErrorCode } from '../../errors/error-codes.js';

/**
 * A query found the key but could not read its value: the stored bytes do not decode with the
 * table's codec, or the local storage failed (HTTP 422). The message names source, key, codec and cause.
 *
 * @publicApi
 */
export class MonitorQueryError extends GokaModuleError {
  static readonly code: GokaModuleErrorCode = 'GOKA_MONITOR_QUERY';

  constructor(message: string, options: GokaErrorOptions = {}) {
    super(new.target.code, message, options);
  }
}
