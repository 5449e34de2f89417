import type { ProcessContext } from '@goka/core';
import { Input, Persist, Processor } from '@goka/nestjs';
import { Groups, Topics } from '../kafka/topics.js';
import { clickCodec, userClicksCodec } from './clicks.types.js';
import type { UserClicks } from './clicks.types.js';

/** Goka's examples 1 and 2: counts the clicks of each user in the group table `clicks-table`. */
@Processor(Groups.clicks)
@Persist(userClicksCodec)
export class ClicksProcessor {
  @Input(Topics.clicks, clickCodec)
  count(_source: string, ctx: ProcessContext<UserClicks>): void {
    const clicks = (ctx.value()?.clicks ?? 0) + 1;
    ctx.setValue({ clicks, lastSeen: new Date(ctx.timestamp).toISOString() });
  }
}
