import { KafkaBrokersError } from '../errors/kafka-brokers-error.js';

/** Whether `value` is a non-empty list of non-empty strings. */
function isBrokerList(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.length > 0 && value.every((broker) => typeof broker === 'string' && broker !== '');
}

/**
 * The one check of `brokers`, wherever they are given: a component's options (`kafka` not given),
 * `GokaModule`'s, a Kafka adapter's constructor. Returns them, typed.
 * @param kafkaAlternative whether `component` takes a `kafka` adapter instead (the message offers it)
 * @throws KafkaBrokersError when `brokers` is missing, empty, or not a list of non-empty strings
 */
export function checkBrokers(brokers: unknown, component: string, kafkaAlternative = true): readonly string[] {
  if (isBrokerList(brokers)) return brokers;
  throw new KafkaBrokersError(component, brokers, kafkaAlternative);
}
