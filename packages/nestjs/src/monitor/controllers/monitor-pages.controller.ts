import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import type { Type } from '@nestjs/common';
import { GOKA_MONITOR_OPTIONS } from '../monitor.constants.js';
import { pageNotFound } from '../monitor.messages.js';
import type { ResolvedMonitorOptions } from '../monitor-options.util.js';
import { answer, mountPath } from './monitor-http.util.js';
import type { MonitorRequest } from './monitor-http.util.js';
import { setHeader } from './monitor-response.util.js';
import type { MonitorResponse } from './monitor-response.util.js';
import { MonitorNotFoundError } from '../errors/monitor-not-found.error.js';
import { monitorAsset, renderMonitorPage } from '../ui/index.js';
import type { MonitorPageKind } from '../ui/index.js';

const HTML = 'text/html; charset=utf-8';

/**
 * The monitor's pages (`{path}/`, `processors/:group`, `views/:table`, `query`, `actions`) and
 * bundled assets (`{path}/assets/:file`). A class per mount path.
 */
export function createMonitorPagesController(path: string): Type<unknown> {
  @Controller(path)
  class GokaMonitorPagesController {
    constructor(@Inject(GOKA_MONITOR_OPTIONS) private readonly options: ResolvedMonitorOptions) {}

    @Get()
    index(@Req() request: MonitorRequest, @Res({ passthrough: true }) response: MonitorResponse): string {
      return this.#page('index', mountPath(request, 0), response);
    }

    @Get('processors/:group')
    processor(
      @Param('group') group: string,
      @Req() request: MonitorRequest,
      @Res({ passthrough: true }) response: MonitorResponse,
    ): string {
      return this.#page('processor', mountPath(request, 2), response, group);
    }

    @Get('views/:table')
    view(@Param('table') table: string, @Req() request: MonitorRequest, @Res({ passthrough: true }) response: MonitorResponse): string {
      return this.#page('view', mountPath(request, 2), response, table);
    }

    @Get('query')
    query(@Req() request: MonitorRequest, @Res({ passthrough: true }) response: MonitorResponse): string {
      return this.#page('query', mountPath(request, 1), response);
    }

    @Get('actions')
    actions(@Req() request: MonitorRequest, @Res({ passthrough: true }) response: MonitorResponse): string {
      return this.#page('actions', mountPath(request, 1), response);
    }

    @Get('assets/:file')
    asset(@Param('file') file: string, @Res({ passthrough: true }) response: MonitorResponse): Promise<string> {
      return answer(() => {
        const found = monitorAsset(file);
        if (found === undefined) throw new MonitorNotFoundError(pageNotFound(file));
        setHeader(response, 'Content-Type', found.contentType);
        setHeader(response, 'Cache-Control', 'no-cache');
        return found.body;
      });
    }

    #page(kind: MonitorPageKind, basePath: string, response: MonitorResponse, name?: string): string {
      setHeader(response, 'Content-Type', HTML);
      const request = { kind, basePath, title: this.options.title };
      return renderMonitorPage(name === undefined ? request : { ...request, name });
    }
  }
  return GokaMonitorPagesController;
}
