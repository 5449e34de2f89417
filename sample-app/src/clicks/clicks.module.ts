import { GokaModule } from '@goka/nestjs';
import { Module } from '@nestjs/common';
import { Groups, Topics } from '../kafka/topics.js';
import { ClicksController } from './clicks.controller.js';
import { ClicksProcessor } from './clicks.processor.js';
import { clickCodec, userClicksCodec } from './clicks.types.js';

/** Goka's examples 1-simplest and 2-clicks. */
@Module({
  imports: [
    GokaModule.registerView({ group: Groups.clicks, codec: userClicksCodec }),
    GokaModule.registerEmitter({ topic: Topics.clicks, codec: clickCodec }),
  ],
  providers: [ClicksProcessor],
  controllers: [ClicksController],
})
export class ClicksModule {}
