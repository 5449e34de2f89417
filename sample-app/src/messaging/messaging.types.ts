import { codecs } from '@goka/core';
import { avro } from '@goka/schema-registry';

/** A message between two users (Goka's 3-messaging `Message`). */
export interface Message {
  readonly from: string;
  readonly to: string;
  readonly content: string;
  /** When it was sent (ISO 8601). */
  readonly sentAt: string;
}

/** An event of the `block-user` stream: block (default) or unblock the key's user. */
export interface BlockEvent {
  readonly unblock: boolean;
}

/** A row of the blocker table. */
export interface BlockValue {
  readonly blocked: boolean;
}

/** A row of the detector table: messages the user sent and received. */
export interface Counters {
  readonly sent: number;
  readonly received: number;
}

/** The Avro schema of {@link Message} (the messages' topics are Avro in the Confluent wire format). */
export const MESSAGE_SCHEMA = {
  type: 'record',
  name: 'Message',
  namespace: 'goka.sample',
  fields: [
    { name: 'from', type: 'string' },
    { name: 'to', type: 'string' },
    { name: 'content', type: 'string' },
    { name: 'sentAt', type: 'string' },
  ],
} as const;

/** The Avro schema of a feed (the collector's table): the user's last messages. */
export const FEED_SCHEMA = { type: 'array', items: MESSAGE_SCHEMA } as const;

// Unbound schema codecs: GokaModule.forRoot({ schemaRegistry }) and each edge's topic bind them
// (subjects `sample-message-sent-value`, `sample-message-received-value`, `sample-detector-loop-value`,
// `sample-collector-table-value`).
export const messageCodec = avro<Message>({ schema: MESSAGE_SCHEMA });
export const feedCodec = avro<Message[]>({ schema: FEED_SCHEMA });
export const blockEventCodec = codecs.json<BlockEvent>();
export const blockValueCodec = codecs.json<BlockValue>();
export const countersCodec = codecs.json<Counters>();
export const translationCodec = codecs.string;
