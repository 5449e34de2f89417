import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { Type } from '@nestjs/common';
import { HealthCheckService } from '@nestjs/terminus';
import { GokaHealthIndicator } from '../../goka.health.js';
import type { HealthCheckResult } from '@nestjs/terminus';
import { GokaMonitorActions } from '../services/monitor-actions.service.js';
import { actionValue, answer, mountPath, requireJson } from './monitor-http.util.js';
import type { MonitorRequest } from './monitor-http.util.js';
import { GokaMonitorQueryService } from '../services/monitor-query.service.js';
import { GokaMonitorService } from '../services/monitor.service.js';
import type {
  MonitorActionStatus,
  MonitorOverview,
  MonitorProcessorDetail,
  MonitorQueryResult,
  MonitorQuerySources,
  MonitorViewDetail,
} from '../interfaces/monitor-api.interface.js';

/**
 * The body of `POST {base}/api/actions/:name/start`: `value` is the text the action runs with (a
 * visitor parses it as JSON when it can); absent or `null` runs it without value. Any other type
 * (an object, a number, ...) is refused with 400: send structured input as JSON text,
 * `{"value": "{\"to\": 7}"}`, which is what the actions page sends.
 */
export interface MonitorActionStartBody {
  readonly value?: unknown;
}

/**
 * The JSON endpoints of a monitor mounted at `path` (`{path}/api/...`, see `monitor-api.interface.ts`).
 * A class per mount path, since a controller's path is fixed when it is declared.
 */
export function createMonitorApiController(path: string): Type<unknown> {
  @Controller(path === '' ? 'api' : `${path}/api`)
  class GokaMonitorApiController {
    constructor(
      private readonly monitor: GokaMonitorService,
      private readonly queries: GokaMonitorQueryService,
      private readonly actions: GokaMonitorActions,
      private readonly health: HealthCheckService,
      private readonly indicator: GokaHealthIndicator,
    ) {}

    @Get('overview')
    overview(@Req() request: MonitorRequest): Promise<MonitorOverview> {
      return this.monitor.overview(mountPath(request, 2));
    }

    @Get('processors/:group')
    processor(@Param('group') group: string): Promise<MonitorProcessorDetail> {
      return answer(() => this.monitor.processor(group));
    }

    @Get('views/:table')
    view(@Param('table') table: string): Promise<MonitorViewDetail> {
      return answer(() => this.monitor.view(table));
    }

    @Get('query')
    sources(): MonitorQuerySources {
      return this.queries.sources();
    }

    @Get('query/:source')
    query(@Param('source') source: string, @Query('key') key: unknown): Promise<MonitorQueryResult> {
      return answer(() => this.queries.query(source, key));
    }

    @Get('actions')
    listActions(): MonitorActionStatus[] {
      return this.actions.list();
    }

    /** Only with `Content-Type: application/json`: a cross-site form cannot send that (CSRF). */
    @Post('actions/:name/start')
    @HttpCode(200)
    start(
      @Param('name') name: string,
      @Headers('content-type') contentType: string | undefined,
      @Body() body: MonitorActionStartBody | undefined,
    ): Promise<MonitorActionStatus> {
      requireJson(contentType, `actions/${name}/start`);
      return answer(() => this.actions.start(name, actionValue(name, body?.value)));
    }

    /** Only with `Content-Type: application/json`, like `start`. */
    @Post('actions/:name/stop')
    @HttpCode(200)
    stop(@Param('name') name: string, @Headers('content-type') contentType: string | undefined): Promise<MonitorActionStatus> {
      requireJson(contentType, `actions/${name}/stop`);
      return answer(() => this.actions.stop(name));
    }

    @Get('health')
    check(): Promise<HealthCheckResult> {
      return this.health.check([() => this.indicator.check()]);
    }
  }
  return GokaMonitorApiController;
}
