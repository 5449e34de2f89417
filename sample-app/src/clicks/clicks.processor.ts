import type { ProcessContext } from '@goka/core';
import { Input, Persist, Processor, Visitor } from '@goka/nestjs';
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

  /**
   * Sets every user's count to `meta` (a number; 0 when none is given): the monitor's actions page
   * runs it as `sample-clicks.reset` (Goka's `VisitAll`).
   */
  @Visitor('reset')
  reset(meta: unknown, ctx: ProcessContext<UserClicks>): void {
    const clicks = typeof meta === 'number' && Number.isFinite(meta) ? meta : 0;
    ctx.setValue({ clicks, lastSeen: ctx.value()?.lastSeen ?? new Date(ctx.timestamp).toISOString() });
  }
}
