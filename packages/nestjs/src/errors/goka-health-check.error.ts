import type { GokaHealthIndicatorResult } from '../interfaces/goka-status.interface.js';
import { GokaModuleError } from './goka-module.error.js';
import type { GokaModuleErrorCode } from './error-codes.js';

/**
 * Thrown by `GokaHealthIndicator.isHealthy` when Goka is down: a readiness gate for code outside
 * Terminus (`causes` holds the indicator's details). In a Terminus health check use
 * `() => goka.check()`, which reports a down indicator instead of throwing: Terminus 11 and
 * later treat a thrown error as unexpected, whatever its shape.
 *
 * @publicApi
 */
export class GokaHealthCheckError extends GokaModuleError {
  static readonly code: GokaModuleErrorCode = 'GOKA_HEALTH_CHECK';

  readonly isHealthCheckError = true;

  constructor(
    message: string,
    readonly causes: GokaHealthIndicatorResult,
  ) {
    super(new.target.code, message);
  }
}
