/** Injection token of the resolved `GokaMonitorModuleOptions` (defaults applied). */
export const GOKA_MONITOR_OPTIONS = 'GOKA_MONITOR_OPTIONS';

/** Injection token of the options as the user gave them (`forRoot`, or what `forRootAsync`'s factory returned). */
export const GOKA_MONITOR_RAW_OPTIONS = 'GOKA_MONITOR_RAW_OPTIONS';

/** Injection token of the routes (`{ path, metricsPath }`), fixed when the module is declared. */
export const GOKA_MONITOR_ROUTES = 'GOKA_MONITOR_ROUTES';

export const DEFAULT_MONITOR_PATH = 'goka';
export const DEFAULT_MONITOR_TITLE = 'Goka monitor';
export const DEFAULT_MONITOR_INTERVAL_MS = 2000;
export const DEFAULT_MONITOR_HISTORY_SIZE = 150;
/** `stalledAfterMs` defaults to this many intervals. */
export const DEFAULT_STALLED_INTERVALS = 15;
export const DEFAULT_METRICS_PATH = 'metrics';
export const DEFAULT_METRICS_PREFIX = 'goka_';
/** High-water marks are asked from Kafka at most this often by default, ms. */
export const DEFAULT_HWM_REFRESH_MS = 10_000;
