import { ProduceFailedError } from '../../errors/kafka-error.js';
import { recordSize } from '../produce-culprit.js';
import type { OutgoingMessage } from '../message.js';

/** The error Kafka answers for a record over the topic's `max.message.bytes` (code 10), shaped as a client reports it. */
function messageTooLarge(limit: number): Error {
  const message = `The request included a message larger than the max message size the server will accept (max.message.bytes ${limit})`;
  return Object.assign(new Error(message), { name: 'KafkaJSProtocolError', type: 'MESSAGE_TOO_LARGE', code: 10, retriable: false });
}

/**
 * Refuses a send (all or none, as MemoryKafka writes) when one of its records is larger than its
 * topic's `max.message.bytes` config: throws a {@link ProduceFailedError} naming the first such record.
 */
export function checkMessageSizes(records: readonly OutgoingMessage[], configOf: (topic: string) => Readonly<Record<string, string>>): void {
  let limits: Map<string, number> | undefined;
  for (const record of records) {
    limits ??= new Map();
    let limit = limits.get(record.topic);
    if (limit === undefined) {
      const text = configOf(record.topic)['max.message.bytes'];
      limit = text === undefined ? Number.POSITIVE_INFINITY : Number(text);
      limits.set(record.topic, limit);
    }
    if (limit === Number.POSITIVE_INFINITY) continue;
    const bytes = recordSize(record);
    if (bytes > limit) {
      throw new ProduceFailedError(record.topic, record.partition, {
        cause: messageTooLarge(limit),
        key: record.key.toString('utf8'),
        recordBytes: bytes,
      });
    }
  }
}
