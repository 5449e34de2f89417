import type { ProcessContext } from '@goka/core';
import { Input, Persist, Processor } from '@goka/nestjs';
import { Inject } from '@nestjs/common';
import { SAMPLE_CONFIG } from '../config/sample-config.js';
import type { SampleConfig } from '../config/sample-config.js';
import { Groups, Topics } from '../kafka/topics.js';
import { feedCodec, messageCodec } from './messaging.types.js';
import type { Message } from './messaging.types.js';

/** Collects the last messages each user received (after the filter) into the user's feed. */
@Processor(Groups.collector)
@Persist(feedCodec)
export class CollectorProcessor {
  constructor(@Inject(SAMPLE_CONFIG) private readonly config: SampleConfig) {}

  @Input(Topics.received, messageCodec)
  collect(message: Message, ctx: ProcessContext<Message[]>): void {
    ctx.setValue([...(ctx.value() ?? []), message].slice(-this.config.feedSize));
  }
}
