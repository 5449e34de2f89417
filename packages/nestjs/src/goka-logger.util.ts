import type { GokaLogger, LogFields } from '@goka/core';
import type { LoggerService } from '@nestjs/common';

/**
 * Bridges core's `GokaLogger` (and through it the kafkajs client's log lines) into a Nest
 * `LoggerService`, so one logger setting controls everything: debug → `debug`, info → `log`,
 * warn → `warn`, error → `error` (with the stack of an `error` field). Fields are appended as JSON.
 *
 * @publicApi
 */
export function createGokaLogger(logger: LoggerService): GokaLogger {
  return {
    debug: (message, fields) => logger.debug?.(line(message, fields)),
    info: (message, fields) => logger.log(line(message, fields)),
    warn: (message, fields) => logger.warn(line(message, fields)),
    error: (message, fields) => {
      const error = fields?.['error'];
      if (error instanceof Error && error.stack !== undefined) logger.error(line(message, fields), error.stack);
      else logger.error(line(message, fields));
    },
  };
}

function line(message: string, fields: LogFields | undefined): string {
  if (fields === undefined || Object.keys(fields).length === 0) return message;
  try {
    return `${message} ${JSON.stringify(fields, replacer)}`;
  } catch {
    return `${message} {…}`;
  }
}

/** JSON replacer; reads the raw value from the holder, since `Buffer#toJSON` runs before it. */
function replacer(this: unknown, key: string, value: unknown): unknown {
  const raw: unknown = typeof this === 'object' && this !== null ? Reflect.get(this, key) : value;
  if (Buffer.isBuffer(raw)) return `<${raw.length} bytes>`;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (typeof value === 'bigint') return String(value);
  return value;
}
