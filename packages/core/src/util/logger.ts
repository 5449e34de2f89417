/** Structured details attached to a log line (group, topic, partition, offset, ...). */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The logger every component takes (option `logger`). The Nest package passes one that writes
 * through Nest's `Logger`; a Kafka adapter bridges its client's own log lines into it (`@goka/kafkajs` does).
 */
export interface GokaLogger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Discards everything. */
export const silentLogger: GokaLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/** Log levels in increasing severity. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const severity: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * A logger writing one line per entry to a stream (default: standard error), from `level` up.
 * The default logger of every component is `streamLogger('warn')`.
 */
export function streamLogger(level: LogLevel = 'warn', stream: NodeJS.WritableStream = process.stderr): GokaLogger {
  const write =
    (entryLevel: LogLevel) =>
    (message: string, fields?: LogFields): void => {
      if (severity[entryLevel] < severity[level]) return;
      const details = fields === undefined || Object.keys(fields).length === 0 ? '' : ` ${safeJson(fields)}`;
      stream.write(`${new Date().toISOString()} goka ${entryLevel.toUpperCase()} ${message}${details}\n`);
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** A logger that prefixes every message, e.g. `[View clicks-table] `. */
export function prefixedLogger(logger: GokaLogger, prefix: string): GokaLogger {
  return {
    debug: (message, fields) => logger.debug(`${prefix}${message}`, fields),
    info: (message, fields) => logger.info(`${prefix}${message}`, fields),
    warn: (message, fields) => logger.warn(`${prefix}${message}`, fields),
    error: (message, fields) => logger.error(`${prefix}${message}`, fields),
  };
}

function safeJson(fields: LogFields): string {
  try {
    return JSON.stringify(fields, (_key, value: unknown) =>
      value instanceof Error ? { name: value.name, message: value.message } : typeof value === 'bigint' ? String(value) : value,
    );
  } catch {
    return '{…}';
  }
}
