import { Injectable } from '@nestjs/common';
import { ProcessorError, ViewError } from '@goka/core';
import { GokaRegistry } from '../goka.registry.js';
import { errorMessage } from '../goka.messages.js';
import { keyMissing, keyNotFound, sourceNotFound, sourceUnavailable } from './monitor.messages.js';
import { codecName } from './monitor-describe.util.js';
import { jsonSafe, prettyJson } from './json-safe.util.js';
import { MonitorBadRequestError } from './errors/monitor-bad-request.error.js';
import { MonitorConflictError } from './errors/monitor-conflict.error.js';
import { MonitorNotFoundError } from './errors/monitor-not-found.error.js';
import type { MonitorQueryResult, MonitorQuerySource, MonitorQuerySources } from './monitor-api.interface.js';

/**
 * Looks keys up in a processor's group table (the partitions this instance holds) or in a view.
 *
 * @publicApi
 */
@Injectable()
export class GokaMonitorQueryService {
  constructor(private readonly registry: GokaRegistry) {}

  /** `GET {base}/api/query`: every processor with a group table, then every view. */
  sources(): MonitorQuerySources {
    const processors = this.registry.describeProcessors().flatMap(({ group, processor }): MonitorQuerySource[] => {
      const table = processor.graph.groupTable();
      return table === undefined ? [] : [{ name: group, kind: 'processor', table: table.topic, codec: codecName(table.codec) }];
    });
    const views = this.registry
      .describeViews()
      .map(({ table, codec }): MonitorQuerySource => ({ name: table, kind: 'view', table, codec: codecName(codec) }));
    return { sources: [...processors, ...views] };
  }

  /**
   * `GET {base}/api/query/:source?key=K`.
   * @throws MonitorNotFoundError for an unknown source
   * @throws MonitorBadRequestError without a key
   * @throws MonitorConflictError when the source cannot answer here (partition held by another instance, not started)
   */
  async query(source: string, key: string | undefined): Promise<MonitorQueryResult> {
    const found = this.sources().sources.find((candidate) => candidate.name === source);
    if (found === undefined) throw new MonitorNotFoundError(sourceNotFound(source));
    if (key === undefined) throw new MonitorBadRequestError(keyMissing(source));
    let value: unknown;
    try {
      value =
        found.kind === 'processor'
          ? await this.registry.getProcessor(found.name).get(key)
          : await this.registry.getView(found.table).get(key);
    } catch (error) {
      if (error instanceof ProcessorError || error instanceof ViewError) {
        throw new MonitorConflictError(sourceUnavailable(source, errorMessage(error)), { cause: error });
      }
      throw error;
    }
    if (value === undefined) return { source, key, found: false, text: keyNotFound(key, source) };
    const safe = jsonSafe(value);
    return { source, key, found: true, value: safe, text: prettyJson(safe) };
  }
}
