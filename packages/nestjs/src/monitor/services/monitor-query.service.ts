import { Injectable } from '@nestjs/common';
import { CodecError, ProcessorError, StorageError, ViewError } from '@goka/core';
import { GokaRegistry } from '../../goka.registry.js';
import { errorMessage } from '../../goka.messages.js';
import { keyMissing, keyNotFound, keyNotSingle, sourceNotFound, sourceUnavailable, valueUnreadable } from '../monitor.messages.js';
import { codecName } from './monitor-describe.util.js';
import { jsonSafe, prettyJson } from './json-safe.util.js';
import { MonitorBadRequestError } from '../errors/monitor-bad-request.error.js';
import { MonitorConflictError } from '../errors/monitor-conflict.error.js';
import { MonitorNotFoundError } from '../errors/monitor-not-found.error.js';
import { MonitorQueryError } from '../errors/monitor-query.error.js';
import type { MonitorQueryResult, MonitorQuerySource, MonitorQuerySources } from '../interfaces/monitor-api.interface.js';

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
   * @throws MonitorBadRequestError without a key, or with several or a structured one (`key` is
   *   the query parameter as parsed: a string, a list when repeated, an object for `key[a]=...`)
   * @throws MonitorConflictError when the source cannot answer here (partition held by another instance, not started)
   * @throws MonitorQueryError when the stored value does not decode or the local storage fails
   */
  async query(source: string, key: unknown): Promise<MonitorQueryResult> {
    const { sources } = this.sources();
    const found = sources.find((candidate) => candidate.name === source);
    if (found === undefined) throw new MonitorNotFoundError(sourceNotFound(source, sources.map((candidate) => candidate.name)));
    if (key === undefined || key === '') throw new MonitorBadRequestError(keyMissing(source));
    if (typeof key !== 'string') throw new MonitorBadRequestError(keyNotSingle(source, key));
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
      if (error instanceof CodecError || error instanceof StorageError) {
        throw new MonitorQueryError(valueUnreadable(source, key, found.codec, errorMessage(error)), { cause: error });
      }
      throw error;
    }
    if (value === undefined) return { source, key, found: false, text: keyNotFound(key, source) };
    const safe = jsonSafe(value);
    return { source, key, found: true, value: safe, text: prettyJson(safe) };
  }
}
