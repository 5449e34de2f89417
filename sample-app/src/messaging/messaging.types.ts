import { codecs } from '@goka/core';

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

export const messageCodec = codecs.json<Message>();
export const feedCodec = codecs.json<Message[]>();
export const blockEventCodec = codecs.json<BlockEvent>();
export const blockValueCodec = codecs.json<BlockValue>();
export const countersCodec = codecs.json<Counters>();
export const translationCodec = codecs.string;
