import type { LogEntry, logCreator } from 'kafkajs';
import type { GokaLogger } from '@goka/core';
import { RETRIABLE_PROTOCOL_MESSAGES } from './kafkajs-internals.js';

/** kafkajs' numeric levels (its `logLevel` enum), kept here to avoid a runtime import of the enum. */
const ERROR = 1;
const WARN = 2;
const INFO = 4;

/**
 * Bridges kafkajs' log lines into a {@link GokaLogger}: ERROR → error, WARN → warn, INFO → info,
 * DEBUG → debug; the message is prefixed with kafkajs' namespace and the extra fields are kept. An
 * ERROR about something that is retried — kafkajs says so (`retryCount`, `retryTime`), or a broker
 * answered a retriable protocol error (a leader moving, a topic just created, a coordinator loading) —
 * is a warning: a fresh broker or a rebalance would otherwise print ERROR lines that need no action.
 */
export function kafkajsLogCreator(logger: GokaLogger): logCreator {
  return () =>
    ({ namespace, level, log }: LogEntry): void => {
      const { message, timestamp: _timestamp, logger: _name, ...fields } = log as LogEntry['log'] & {
        logger?: string;
      };
      const text = `kafkajs${namespace === '' ? '' : ` ${namespace}`}: ${message}`;
      if (level === ERROR) (retried(fields) ? logger.warn : logger.error).call(logger, text, fields);
      else if (level === WARN) logger.warn(text, fields);
      else if (level === INFO) logger.info(text, fields);
      else logger.debug(text, fields);
    };
}

/** Whether an ERROR line of kafkajs is about an operation that is retried. */
function retried(fields: Record<string, unknown>): boolean {
  if ('retryCount' in fields || 'retryTime' in fields) return true;
  return typeof fields['error'] === 'string' && RETRIABLE_PROTOCOL_MESSAGES.has(fields['error']);
}
