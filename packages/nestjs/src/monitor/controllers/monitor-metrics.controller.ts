import { Controller, Get, Res } from '@nestjs/common';
import type { Type } from '@nestjs/common';
import { answer } from './monitor-http.util.js';
import { GokaMonitorMetrics } from '../metrics/monitor-metrics.service.js';
import { setHeader } from './monitor-response.util.js';
import type { MonitorResponse } from './monitor-response.util.js';

/** `GET {path}/{metricsPath}`: the Prometheus registry in text format. A class per mount path. */
export function createMonitorMetricsController(path: string, metricsPath: string): Type<unknown> {
  @Controller(path)
  class GokaMonitorMetricsController {
    constructor(private readonly metrics: GokaMonitorMetrics) {}

    @Get(metricsPath)
    async scrape(@Res({ passthrough: true }) response: MonitorResponse): Promise<string> {
      const { contentType, body } = await answer(() => this.metrics.scrape());
      setHeader(response, 'Content-Type', contentType);
      return body;
    }
  }
  return GokaMonitorMetricsController;
}
