import type { ProcessContext } from '@goka/core';
import { Input, Join, Lookup, Output, Processor } from '@goka/nestjs';
import { Groups, Tables, Topics } from '../kafka/topics.js';
import { blockValueCodec, messageCodec, translationCodec } from './messaging.types.js';
import type { BlockValue, Message } from './messaging.types.js';

/**
 * Between sending and receiving: drops messages of blocked senders (a join on the blocker table,
 * copartitioned with the sent stream, whose key is the sender), translates words (a lookup in the
 * translator table, any partition) and emits the message to the received stream, keyed by recipient.
 */
@Processor(Groups.filter)
@Join(Tables.blocker, blockValueCodec)
@Lookup(Tables.translator, translationCodec)
@Output(Topics.received, messageCodec)
export class FilterProcessor {
  @Input(Topics.sent, messageCodec)
  async filter(message: Message, ctx: ProcessContext<never>): Promise<void> {
    if (ctx.join<BlockValue>(Tables.blocker)?.blocked === true) return;
    const content = await translate(message.content, (word) => ctx.lookup<string>(Tables.translator, word));
    ctx.emit(Topics.received, message.to, { ...message, content });
  }
}

/** Replaces every word of `text` that has a translation; whitespace is kept. */
export async function translate(text: string, lookup: (word: string) => Promise<string | undefined>): Promise<string> {
  const parts = text.split(/(\s+)/);
  const translated = await Promise.all(
    parts.map(async (part) => (part.trim() === '' ? part : ((await lookup(part)) ?? part))),
  );
  return translated.join('');
}
