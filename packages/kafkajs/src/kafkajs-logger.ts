import type { LogEntry, logCreator } from 'kafkajs';
import type { GokaLogger } from '@goka/core';

/** kafkajs' numeric levels (its `logLevel` enum), kept here to avoid a runtime import of the enum. */
const ERROR = 1;
const WARN = 2;
const INFO = 4;

/**
 * Bridges kafkajs' log lines into a {@link GokaLogger}: ERROR → error, WARN → warn, INFO → info,
 * DEBUG → debug; the message is prefixed with kafkajs' namespace and the extra fields are kept.
 */
export function kafkajsLogCreator(logger: GokaLogger): logCreator {
  return () =>
    ({ namespace, level, log }: LogEntry): void => {
      const { message, timestamp: _timestamp, logger: _name, ...fields } = log as LogEntry['log'] & {
        logger?: string;
      };
      const text = `kafkajs${namespace === '' ? '' : ` ${namespace}`}: ${message}`;
      if (level === ERROR) logger.error(text, fields);
      else if (level === WARN) logger.warn(text, fields);
      else if (level === INFO) logger.info(text, fields);
      else logger.debug(text, fields);
    };
}
