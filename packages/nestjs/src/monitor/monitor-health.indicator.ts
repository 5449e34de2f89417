import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { GokaRegistry } from '../goka.registry.js';
import type { GokaStatus } from '../interfaces/goka-status.interface.js';
import { MONITOR_HEALTH_KEY } from './monitor.constants.js';
import { notReadyComponent } from './monitor.messages.js';

/**
 * A `@nestjs/terminus` health indicator: up when every processor has recovered and is running and
 * every view is running, down otherwise with a `message` naming the first one that is not (and
 * every component's phase and state as details).
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
export class GokaMonitorHealthIndicator {
  constructor(
    private readonly registry: GokaRegistry,
    private readonly health: HealthIndicatorService,
  ) {}

  /** `{ [key]: { status: 'up' | 'down', message?, processors, views } }`; never throws. */
  isHealthy(key: string = MONITOR_HEALTH_KEY): HealthIndicatorResult {
    const status = this.registry.status();
    const indicator = this.health.check(key);
    const details = { processors: status.processors, views: status.views };
    if (status.ready) return indicator.up(details);
    return indicator.down({ message: firstNotReady(status), ...details });
  }
}

/** What is not ready, the first processor before the first view. */
function firstNotReady(status: GokaStatus): string {
  for (const [group, s] of Object.entries(status.processors)) {
    if (s.phase !== 'ready') return notReadyComponent('processor', group, s.phase, s.state) + (s.error === undefined ? '' : `: ${s.error}`);
  }
  for (const [table, s] of Object.entries(status.views)) {
    if (s.phase !== 'ready') return notReadyComponent('view', table, s.phase, s.state) + (s.error === undefined ? '' : `: ${s.error}`);
  }
  return 'not ready';
}
