import { KafkaConnectionError } from '../errors/kafka-error.js';
import type { KafkaAdmin } from './admin.js';

/**
 * A component's first connect to Kafka: `admin.connect()`, with a `KafkaConnectionError` (brokers,
 * client id, cause; bounded by the adapter's `connectionTimeout`) re-thrown naming `component`, e.g.
 * `processor group "clicks"`, `view of table "clicks-table"`, `emitter for topic "clicks"`.
 */
export async function connectComponent(component: string, admin: KafkaAdmin): Promise<void> {
  try {
    await admin.connect();
  } catch (error) {
    if (error instanceof KafkaConnectionError && error.component === undefined) throw error.forComponent(component);
    throw error;
  }
}
