import { Injectable } from '@nestjs/common';
import { DEFAULT_HEALTH_KEY } from './goka.constants.js';
import { componentNotReady, notReady } from './goka.messages.js';
import { GokaRegistry } from './goka.registry.js';
import { GokaHealthCheckError } from './errors/goka-health-check.error.js';
import type { GokaHealthIndicatorResult } from './interfaces/goka-status.interface.js';

/**
 * Goka's readiness as a health indicator in `@nestjs/terminus`' shape, without depending on it:
 * up when every processor has recovered and every view is running, down otherwise (starting,
 * failed, stopped), with every component's phase, state and error as details. The error of
 * `isHealthy` names each component that is not ready with its phase, state and error.
 *
 * @example
 * ```ts
 * @Get('health')
 * @HealthCheck()
 * check() {
 *   return this.health.check([() => this.goka.isHealthy()]);
 * }
 * ```
 * @publicApi
 */
@Injectable()
export class GokaHealthIndicator {
  constructor(private readonly registry: GokaRegistry) {}

  /** `{ [key]: { status: 'up' | 'down', processors, views } }`; never throws. */
  check(key: string = DEFAULT_HEALTH_KEY): GokaHealthIndicatorResult {
    const { ready, processors, views } = this.registry.status();
    return { [key]: { status: ready ? 'up' : 'down', processors, views } };
  }

  /**
   * The result of {@link check} when up; throws it inside a `GokaHealthCheckError` (Terminus'
   * `HealthCheckError` shape) when down, as Terminus indicators do.
   */
  async isHealthy(key: string = DEFAULT_HEALTH_KEY): Promise<GokaHealthIndicatorResult> {
    const result = this.check(key);
    if (result[key]?.status === 'up') return result;
    const { processors, views } = this.registry.status();
    const pending = [
      ...Object.entries(processors).flatMap(([group, s]) => (s.phase === 'ready' ? [] : [componentNotReady(`processor "${group}"`, s)])),
      ...Object.entries(views).flatMap(([table, s]) => (s.phase === 'ready' ? [] : [componentNotReady(`view of "${table}"`, s)])),
    ];
    throw new GokaHealthCheckError(notReady(pending), result);
  }
}
