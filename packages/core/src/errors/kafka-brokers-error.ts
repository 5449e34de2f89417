import { GokaError } from './goka-error.js';
import { missingConnection } from '../kafka/kafka.messages.js';
import type { GokaErrorCode } from './error-codes.js';

/**
 * No usable `brokers`: none (and no `kafka` adapter), an empty list, or not a list of "host:port"
 * strings. Thrown where the options are given (a component's constructor, `GokaModule` at startup,
 * `new KafkajsAdapter(...)`), before anything connects, always by `checkBrokers`. Not retriable.
 */
export class KafkaBrokersError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_KAFKA_BROKERS';

  constructor(
    /** Who was given them: `Emitter "clicks"`, `GokaModule`, `KafkajsAdapter`. */
    readonly component: string,
    /** What was given as `brokers`. */
    readonly brokers: unknown,
    /** Whether `component` also takes a `kafka` adapter instead (the message then offers it). */
    kafkaAlternative: boolean,
  ) {
    super(new.target.code, brokersMessage(component, brokers, kafkaAlternative));
  }
}

function brokersMessage(component: string, brokers: unknown, kafkaAlternative: boolean): string {
  const missing = brokers === undefined || (Array.isArray(brokers) && brokers.length === 0);
  if (missing && kafkaAlternative) return missingConnection(component);
  const needs = `${component} needs \`brokers\`, a non-empty list of "host:port" strings such as ['127.0.0.1:9092']`;
  return missing ? needs : `${needs}, got ${render(brokers)}`;
}

function render(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
