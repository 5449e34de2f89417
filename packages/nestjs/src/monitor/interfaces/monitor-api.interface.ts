/**
 * The JSON contract between the monitor's server (`GokaMonitorModule`'s controllers) and its pages
 * (`ui/`). Every page is a small HTML shell that fetches these documents from `{base}/api/...` and
 * renders them; the same documents are the public JSON stats endpoints.
 *
 * Routes (relative to the mount path `{base}`, default `goka`):
 * - pages: `{base}/` index · `{base}/processors/:group` · `{base}/views/:table` · `{base}/query` · `{base}/actions`
 * - assets: `{base}/assets/:file` (`monitor.css`, `monitor.js` and the ES modules it imports; bundled, no CDN)
 * - JSON: `GET {base}/api/overview` → {@link MonitorOverview}
 *         `GET {base}/api/processors/:group` → {@link MonitorProcessorDetail} (404 {@link MonitorErrorBody})
 *         `GET {base}/api/views/:table` → {@link MonitorViewDetail} (404)
 *         `GET {base}/api/query` → {@link MonitorQuerySources}
 *         `GET {base}/api/query/:source?key=K` → {@link MonitorQueryResult} (404 unknown source, 400 no key,
 *           409 when this instance cannot answer: the key's partition is held by another instance, the view is not running)
 *         `GET {base}/api/actions` → {@link MonitorActionStatus}[]
 *         `POST {base}/api/actions/:name/start` body `{ value?: string }` → {@link MonitorActionStatus} (404, 409 running)
 *         `POST {base}/api/actions/:name/stop` → {@link MonitorActionStatus} (404, 409 not running)
 * - Prometheus: `GET {base}/metrics` (text exposition) unless metrics are disabled or served by the app.
 * - health: `GET {base}/api/health` → Terminus' health check result (503 when not ready).
 *
 * Rates are per second, computed from two consecutive samples; `undefined` until two samples exist.
 * Times are milliseconds since the epoch.
 */

/** The kind of a group-graph edge, as Goka's monitor lists them. */
export type MonitorEdgeKind = 'input' | 'join' | 'lookup' | 'loop' | 'table' | 'output';

/** One edge of a processor's group graph. */
export interface MonitorEdge {
  readonly kind: MonitorEdgeKind;
  readonly topic: string;
  /** The codec's name (e.g. `string`, `int64`, `json`, or a user codec's class name). */
  readonly codec: string;
}

/** Where a processor or view is in its life (the registry's `GokaComponentPhase`). */
export type MonitorPhase = 'created' | 'starting' | 'ready' | 'failed' | 'stopped';

/**
 * A partition's state as the monitor shows it: a processor partition's core state, `standby` for a
 * hot-standby copy, a view partition's table state, or `stalled` when it has lag but made no
 * progress for `stalledAfterMs`.
 */
export type MonitorPartitionState =
  | 'idle'
  | 'connecting'
  | 'recovering'
  | 'running'
  | 'standby'
  | 'stalled'
  | 'stopping'
  | 'failed';

/** A processor in the index. */
export interface MonitorProcessorSummary {
  readonly group: string;
  /** The `@Processor` class. */
  readonly className: string;
  readonly phase: MonitorPhase;
  /** Core `ProcessorState`. */
  readonly state: string;
  /** The message of the error that ended its run. */
  readonly error?: string;
  readonly edges: readonly MonitorEdge[];
  /** Partition counts by monitor state (only states that occur). */
  readonly partitions: Readonly<Partial<Record<MonitorPartitionState, number>>>;
  /** Visitor names (`visitAll`). */
  readonly visitors: readonly string[];
}

/** A view in the index. */
export interface MonitorViewSummary {
  readonly table: string;
  readonly codec: string;
  readonly phase: MonitorPhase;
  /** Core `ViewState`. */
  readonly state: string;
  /**
   * The message of the error that ended its run (`failed`, waiting to be restarted with
   * `autoReconnect`), or of the error a restarted view recovers from (`starting`).
   */
  readonly error?: string;
  readonly partitions: Readonly<Partial<Record<MonitorPartitionState, number>>>;
}

/** `GET {base}/api/overview`. */
export interface MonitorOverview {
  readonly title: string;
  /** The mount path, with a leading and no trailing slash (e.g. `/goka`). */
  readonly basePath: string;
  /** How often the server samples stats (pages poll at this pace). */
  readonly intervalMs: number;
  readonly ready: boolean;
  readonly processors: readonly MonitorProcessorSummary[];
  readonly views: readonly MonitorViewSummary[];
  /** Whether `{base}/metrics` serves Prometheus metrics. */
  readonly metrics: boolean;
}

/** Progress of a partition table's first recovery. */
export interface MonitorRecovery {
  /** Records to read (high-water mark − start offset), `undefined` before the offsets are known. */
  readonly total: number | undefined;
  /** Records read so far. */
  readonly done: number;
  /** `done / total` in [0, 1]; 1 once recovered. */
  readonly progress: number;
  /**
   * Records per second, smoothed over the last samples (exponentially weighted, each new sample
   * weighs 0.3) so the ETA does not flicker.
   */
  readonly rate: number | undefined;
  /** Seconds left at that rate; `undefined` when unknown, 0 once recovered. */
  readonly etaSeconds: number | undefined;
  readonly startTime: number | undefined;
  readonly endTime: number | undefined;
}

/** One input topic (or the loop) of one partition. */
export interface MonitorPartitionInput {
  readonly topic: string;
  /** The last consumed offset, -1 before the first. */
  readonly offset: number;
  readonly hwm: number | undefined;
  readonly lag: number | undefined;
  readonly committed: number | undefined;
  /** Messages per second. */
  readonly rate: number | undefined;
}

/** One partition of a processor instance. */
export interface MonitorProcessorPartition {
  readonly partition: number;
  readonly mode: 'active' | 'standby';
  readonly state: MonitorPartitionState;
  readonly recovery: MonitorRecovery | undefined;
  readonly inputs: readonly MonitorPartitionInput[];
  /** Table records written per second (active) or applied per second (standby). */
  readonly tableRate: number | undefined;
}

/** Totals of one topic over the instance's partitions. */
export interface MonitorTopicTraffic {
  readonly topic: string;
  readonly count: number;
  readonly bytes: number;
  /** Messages per second. */
  readonly rate: number | undefined;
  /** Bytes per second. */
  readonly bytesRate: number | undefined;
  /** Summed lag (inputs only). */
  readonly lag?: number | undefined;
}

/** One point of a chart: totals over the instance at one sample. */
export interface MonitorSample {
  readonly t: number;
  readonly inputRate: number | undefined;
  readonly outputRate: number | undefined;
  readonly tableRate: number | undefined;
  readonly recoveryRate: number | undefined;
  readonly lag: number | undefined;
  /**
   * Lag per partition (by partition number; a processor's active partitions, summed over their
   * inputs), for the first 32 partitions.
   */
  readonly partitionLag?: Readonly<Record<string, number>>;
}

/** `GET {base}/api/processors/:group`. */
export interface MonitorProcessorDetail extends MonitorProcessorSummary {
  readonly sampledAt: number;
  readonly intervalMs: number;
  readonly partitionList: readonly MonitorProcessorPartition[];
  readonly inputs: readonly MonitorTopicTraffic[];
  readonly outputs: readonly MonitorTopicTraffic[];
  readonly lookups: readonly MonitorViewDetail[];
  /** Callback errors since start. */
  readonly callbackErrors: number;
  /** What the error policies (`onError`) did since start: runs retried, records skipped and dead-lettered. */
  readonly errorPolicy: { readonly retried: number; readonly skipped: number; readonly deadLettered: number };
  /** Mean commit latency (batch completed → offsets committed) over the last sample, ms. */
  readonly commitLatencyMs: number | undefined;
  /** `at-least-once` (Goka) or `exactly-once` (transactions). */
  readonly guarantee: 'at-least-once' | 'exactly-once';
  /**
   * Exactly-once: transactions committed and aborted since start, the mean time a commit takes (ms)
   * and why the last one was aborted.
   */
  readonly transactions?: {
    readonly committed: number;
    readonly aborted: number;
    readonly meanCommitMs: number | undefined;
    readonly lastAbortReason: string | undefined;
  };
  /** Oldest first, at most `historySize` samples. */
  readonly series: readonly MonitorSample[];
}

/** One partition of a view (or of a processor's lookup view). */
export interface MonitorViewPartition {
  readonly partition: number;
  readonly state: MonitorPartitionState;
  readonly offset: number | undefined;
  readonly hwm: number | undefined;
  readonly lag: number | undefined;
  /** Records applied per second. */
  readonly rate: number | undefined;
  readonly recovery: MonitorRecovery;
}

/** `GET {base}/api/views/:table`. */
export interface MonitorViewDetail extends MonitorViewSummary {
  readonly sampledAt: number;
  readonly intervalMs: number;
  readonly partitionList: readonly MonitorViewPartition[];
  readonly series: readonly MonitorSample[];
}

/** A table that can be queried: a processor's group table or a view. */
export interface MonitorQuerySource {
  /** The group (processor) or table (view). */
  readonly name: string;
  readonly kind: 'processor' | 'view';
  readonly table: string;
  readonly codec: string;
}

/** `GET {base}/api/query`. */
export interface MonitorQuerySources {
  readonly sources: readonly MonitorQuerySource[];
}

/** `GET {base}/api/query/:source?key=K`. */
export interface MonitorQueryResult {
  readonly source: string;
  readonly key: string;
  readonly found: boolean;
  /** The decoded value made JSON-safe (bigint → string, bytes → base64 string). */
  readonly value?: unknown;
  /** `value` as pretty-printed JSON (2 spaces), or the message for a missing key. */
  readonly text: string;
}

/** A named action (`visitAll` of a visitor, or one the app registered). */
export interface MonitorActionStatus {
  readonly name: string;
  readonly description: string;
  readonly running: boolean;
  readonly startedAt: number | undefined;
  readonly finishedAt: number | undefined;
  /** The value the last run started with. */
  readonly value: string | undefined;
  readonly lastError: string | undefined;
  /**
   * What the last successful run resolved with, as text (a visitor action: the number of keys
   * visited); absent when it resolved with nothing. (Added by the server.)
   */
  readonly result?: string;
  /** Runs started since the app started. */
  readonly runs: number;
}

/** The body of every 4xx/5xx JSON answer. */
export interface MonitorErrorBody {
  readonly statusCode: number;
  readonly error: string;
  /** What the user should know (e.g. `Source 'x' not found`, `Key 'k' not found in 'x'`). */
  readonly message: string;
}
