import type { ProcessContext } from '@goka/core';
import { Input, Persist, Processor } from '@goka/nestjs';
import { Groups, Topics } from '../kafka/topics.js';
import { blockEventCodec, blockValueCodec } from './messaging.types.js';
import type { BlockEvent, BlockValue } from './messaging.types.js';

/** Keeps the table of blocked users from the block and unblock events. */
@Processor(Groups.blocker)
@Persist(blockValueCodec)
export class BlockerProcessor {
  @Input(Topics.blockUser, blockEventCodec)
  block(event: BlockEvent, ctx: ProcessContext<BlockValue>): void {
    ctx.setValue({ blocked: !event.unblock });
  }
}
