import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DEFAULT_HEALTH_KEY } from './goka.constants.js';
import { componentNotReady, notReady } from './goka.messages.js';
import { GokaRegistry } from './goka.registry.js';
import { GokaHealthCheckError } from './errors/goka-health-check.error.js';
import type { GokaHealthIndicatorResult, GokaStatus } from './interfaces/goka-status.interface.js';

/**
 * Goka's readiness as a `@nestjs/terminus` health indicator (Terminus' `HealthIndicatorService`):
 * up when every processor has recovered and every view is running, down otherwise (starting,
 * failed, stopped) with a `message` naming each component that is not ready (phase, state, error),
 * and every component's phase, state and error as details. The monitor's `/api/health` uses it.
 *
 * @example
 * ```ts
 * @Get('health')
 * @HealthCheck()
 * check() {
 *   return this.health.check([() => this.goka.check()]);
 * }
 * ```
 * @publicApi
 */
@Injectable()
export class GokaHealthIndicator {
  constructor(
    private readonly registry: GokaRegistry,
    private readonly indicators: HealthIndicatorService,
  ) {}

  /** `{ [key]: { status: 'up' | 'down', message? (when down), processors, views } }`; never throws. */
  check(key: string = DEFAULT_HEALTH_KEY): GokaHealthIndicatorResult {
    const status = this.registry.status();
    const indicator = this.indicators.check(key);
    const details = { processors: status.processors, views: status.views };
    if (status.ready) return indicator.up(details);
    return indicator.down({ message: notReady(pendingComponents(status)), ...details });
  }

  /**
   * The result of {@link check} when up; when down, rejects with a `GokaHealthCheckError` carrying
   * it (for readiness gates outside Terminus: Terminus 12's `HealthCheckService` reports a thrown
   * error as a failure of the check itself, so give it {@link check}).
   */
  async isHealthy(key: string = DEFAULT_HEALTH_KEY): Promise<GokaHealthIndicatorResult> {
    const result = this.check(key);
    const detail = result[key];
    if (detail?.status === 'up') return result;
    throw new GokaHealthCheckError(detail?.message ?? notReady([]), result);
  }
}

/** Every component that is not ready, processors first. */
function pendingComponents({ processors, views }: GokaStatus): string[] {
  return [
    ...Object.entries(processors).flatMap(([group, s]) => (s.phase === 'ready' ? [] : [componentNotReady(`processor "${group}"`, s)])),
    ...Object.entries(views).flatMap(([table, s]) => (s.phase === 'ready' ? [] : [componentNotReady(`view of "${table}"`, s)])),
  ];
}
