import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { GokaRegistry } from '../../goka.registry.js';
import { errorMessage } from '../../goka.messages.js';
import { GokaOptionsError } from '../../errors/goka-options.error.js';
import { GOKA_MONITOR_OPTIONS } from '../monitor.constants.js';
import { actionIdle, actionNotFound, actionRunning, actionStopped, duplicateAction, visitorDescription } from '../monitor.messages.js';
import type { ResolvedMonitorOptions } from '../monitor-options.util.js';
import { jsonSafe } from './json-safe.util.js';
import { MonitorConflictError } from '../errors/monitor-conflict.error.js';
import { MonitorNotFoundError } from '../errors/monitor-not-found.error.js';
import type { MonitorActionStatus } from '../interfaces/monitor-api.interface.js';
import type { GokaMonitorAction } from '../interfaces/monitor-options.interface.js';

/** One action and its last run. */
interface ActionEntry {
  readonly action: GokaMonitorAction;
  controller: AbortController | undefined;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  value: string | undefined;
  lastError: string | undefined;
  result: string | undefined;
  runs: number;
}

/**
 * The monitor's named actions: one per processor visitor (`group.visitor`, runs `visitAll`) plus
 * the app's own (`actions` option); start, stop, state, last error.
 *
 * @publicApi
 */
@Injectable()
export class GokaMonitorActions implements OnModuleInit, BeforeApplicationShutdown {
  readonly #logger = new Logger('GokaMonitor');
  readonly #actions = new Map<string, ActionEntry>();

  constructor(
    private readonly registry: GokaRegistry,
    @Inject(GOKA_MONITOR_OPTIONS) private readonly options: ResolvedMonitorOptions,
  ) {}

  /** Collects the actions (processors are registered by GokaModule's explorer, which runs first). */
  onModuleInit(): void {
    this.#collect();
  }

  /** Aborts every running action. */
  beforeApplicationShutdown(): void {
    for (const entry of this.#actions.values()) entry.controller?.abort(new Error(actionStopped(entry.action.name)));
  }

  /** Every action's status, in order: visitors by processor, then the app's. */
  list(): MonitorActionStatus[] {
    this.#collect();
    return [...this.#actions.values()].map(status);
  }

  /**
   * Starts an action with `value` and answers at once (the run goes on in the background).
   * @throws MonitorNotFoundError for an unknown action
   * @throws MonitorConflictError when it is running
   */
  start(name: string, value: string | undefined): MonitorActionStatus {
    const entry = this.#entry(name);
    if (entry.controller !== undefined) throw new MonitorConflictError(actionRunning(name));
    const controller = new AbortController();
    Object.assign(entry, { controller, startedAt: Date.now(), finishedAt: undefined, value, lastError: undefined, result: undefined });
    entry.runs += 1;
    const stopped = new Promise<never>((_resolve, reject) => {
      controller.signal.addEventListener('abort', () => reject(new Error(actionStopped(name))), { once: true });
    });
    const run = Promise.resolve().then(() => entry.action.run(value, controller.signal));
    void Promise.race([run, stopped]).then(
      (result) => this.#finish(entry, controller, undefined, result),
      (error: unknown) => this.#finish(entry, controller, error, undefined),
    );
    // A run abandoned by stop() may still settle later: keep its rejection from going unhandled.
    run.catch(() => undefined);
    return status(entry);
  }

  /**
   * Stops a running action: aborts its signal and marks it finished (a visit stops between keys).
   * @throws MonitorNotFoundError for an unknown action
   * @throws MonitorConflictError when it is not running
   */
  stop(name: string): MonitorActionStatus {
    const entry = this.#entry(name);
    const { controller } = entry;
    if (controller === undefined) throw new MonitorConflictError(actionIdle(name));
    const reason = new Error(actionStopped(name));
    controller.abort(reason);
    this.#finish(entry, controller, reason, undefined);
    return status(entry);
  }

  /** The status of one action. @throws MonitorNotFoundError for an unknown action */
  get(name: string): MonitorActionStatus {
    return status(this.#entry(name));
  }

  #entry(name: string): ActionEntry {
    this.#collect();
    const entry = this.#actions.get(name);
    if (entry === undefined) throw new MonitorNotFoundError(actionNotFound(name, [...this.#actions.keys()]));
    return entry;
  }

  #finish(entry: ActionEntry, controller: AbortController, error: unknown, result: unknown): void {
    if (entry.controller !== controller) return;
    entry.controller = undefined;
    entry.finishedAt = Date.now();
    if (error !== undefined) {
      entry.lastError = errorMessage(error);
      this.#logger.warn(`action '${entry.action.name}': ${entry.lastError}`);
    } else if (result !== undefined) {
      const safe = jsonSafe(result);
      entry.result = typeof safe === 'string' ? safe : JSON.stringify(safe);
    }
  }

  /** Adds the actions not collected yet (visitors of processors registered since). */
  #collect(): void {
    const wanted: GokaMonitorAction[] = [];
    for (const { group, className, processor } of this.registry.describeProcessors()) {
      for (const visitor of processor.graph.visitors()) {
        wanted.push({
          name: `${group}.${visitor.name}`,
          description: visitorDescription(group, visitor.name, className),
          run: (value, signal) => processor.visitAll(visitor.name, visitorMeta(value), { signal }),
        });
      }
    }
    wanted.push(...this.options.actions);
    const names = new Set<string>();
    for (const action of wanted) {
      if (names.has(action.name)) throw new GokaOptionsError(duplicateAction(action.name));
      names.add(action.name);
      if (!this.#actions.has(action.name)) {
        this.#actions.set(action.name, {
          action,
          controller: undefined,
          startedAt: undefined,
          finishedAt: undefined,
          value: undefined,
          lastError: undefined,
          result: undefined,
          runs: 0,
        });
      }
    }
  }
}

/** A visitor's meta from the text the user entered: JSON when it parses, else the text. */
export function visitorMeta(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function status(entry: ActionEntry): MonitorActionStatus {
  return {
    name: entry.action.name,
    description: entry.action.description ?? '',
    running: entry.controller !== undefined,
    startedAt: entry.startedAt,
    finishedAt: entry.finishedAt,
    value: entry.value,
    lastError: entry.lastError,
    ...(entry.result === undefined ? {} : { result: entry.result }),
    runs: entry.runs,
  };
}
