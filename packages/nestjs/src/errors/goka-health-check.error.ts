import type { GokaHealthIndicatorResult } from '../interfaces/goka-status.interface.js';
import { GokaModuleError } from './goka-module.error.js';
import type { GokaModuleErrorCode } from './error-codes.js';

/**
 * Thrown by `GokaHealthIndicator.isHealthy` when Goka is down. Shaped like `@nestjs/terminus`'
 * `HealthCheckError` (`causes`, `isHealthCheckError`), so Terminus reports it as a failed
 * indicator with these details rather than as an unexpected error.
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
