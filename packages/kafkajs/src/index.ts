/**
 * @goka/kafkajs — the Kafka adapter of @goka/core for Apache Kafka, on kafkajs: our own Fetch and
 * Produce encoding, the reader, the (idempotent) producer, the consumer-group member, the admin,
 * compression codecs, SASL and TLS. Components given `brokers` load it by themselves; pass
 * `kafka: new KafkajsAdapter({ brokers, ... })` to share one adapter between components.
 */
export { KafkajsAdapter } from './kafkajs-adapter.js';
export type { KafkajsAdapterOptions } from './kafkajs-options.js';
export { KafkajsConsumerGroup } from './group/kafkajs-consumer-group.js';
export type { KafkajsGroupSettings } from './group/kafkajs-consumer-group.js';
