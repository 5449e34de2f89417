/**
 * OpenTelemetry semantic conventions for messaging spans (Kafka), as of semconv 1.3x. Written out
 * here: `@opentelemetry/semantic-conventions` would be one more dependency for a few strings.
 */
export const MESSAGING_SYSTEM = 'messaging.system';
export const MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
export const MESSAGING_DESTINATION_PARTITION_ID = 'messaging.destination.partition.id';
export const MESSAGING_OPERATION_NAME = 'messaging.operation.name';
export const MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
export const MESSAGING_CONSUMER_GROUP_NAME = 'messaging.consumer.group.name';
export const MESSAGING_KAFKA_MESSAGE_KEY = 'messaging.kafka.message.key';
export const MESSAGING_KAFKA_MESSAGE_TOMBSTONE = 'messaging.kafka.message.tombstone';
export const MESSAGING_KAFKA_OFFSET = 'messaging.kafka.offset';
export const ERROR_TYPE = 'error.type';
/** Goka's own attribute: the error policy taken for a failed message (`retry`, `skip`, `dead-letter`, `fail`). */
export const GOKA_ERROR_POLICY = 'goka.error.policy';
