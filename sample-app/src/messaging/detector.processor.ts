import type { ProcessContext } from '@goka/core';
import { Input, Loop, Output, Persist, Processor } from '@goka/nestjs';
import { Inject } from '@nestjs/common';
import { SAMPLE_CONFIG } from '../config/sample-config.js';
import type { SampleConfig } from '../config/sample-config.js';
import { Groups, Topics } from '../kafka/topics.js';
import { blockEventCodec, countersCodec, messageCodec } from './messaging.types.js';
import type { Counters, Message } from './messaging.types.js';

/**
 * Counts the messages each user sent (input keyed by sender) and received (a loopback to the
 * recipient's key), and blocks a sender that mostly sends (Goka's spam detector): once it has seen
 * `spamMinMessages` messages of a user and at least `spamMaxRate` of them were sent, it emits a block
 * event to the blocker's stream.
 */
@Processor(Groups.detector)
@Persist(countersCodec)
@Output(Topics.blockUser, blockEventCodec)
export class DetectorProcessor {
  constructor(@Inject(SAMPLE_CONFIG) private readonly config: SampleConfig) {}

  @Input(Topics.sent, messageCodec)
  sent(message: Message, ctx: ProcessContext<Counters>): void {
    const counters = ctx.value() ?? { sent: 0, received: 0 };
    const next = { ...counters, sent: counters.sent + 1 };
    ctx.setValue(next);
    if (this.isSpammer(next)) ctx.emit(Topics.blockUser, ctx.key, { unblock: false });
    ctx.loopback(message.to, message);
  }

  @Loop(messageCodec)
  received(_message: Message, ctx: ProcessContext<Counters>): void {
    const counters = ctx.value() ?? { sent: 0, received: 0 };
    ctx.setValue({ ...counters, received: counters.received + 1 });
  }

  private isSpammer({ sent, received }: Counters): boolean {
    const total = sent + received;
    return total >= this.config.spamMinMessages && sent / total >= this.config.spamMaxRate;
  }
}
