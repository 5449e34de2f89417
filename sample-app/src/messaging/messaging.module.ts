import { GokaModule } from '@goka/nestjs';
import { Module } from '@nestjs/common';
import { SampleKafkaModule } from '../kafka/sample-kafka.module.js';
import { Groups, Topics } from '../kafka/topics.js';
import { BlockerProcessor } from './blocker.processor.js';
import { CollectorProcessor } from './collector.processor.js';
import { DetectorProcessor } from './detector.processor.js';
import { FilterProcessor } from './filter.processor.js';
import { MessagesController, TranslationsController, UsersController } from './messaging.controllers.js';
import {
  blockEventCodec,
  blockValueCodec,
  countersCodec,
  feedCodec,
  messageCodec,
  translationCodec,
} from './messaging.types.js';
import { TranslatorProcessor } from './translator.processor.js';

/** Goka's example 3-messaging: send, feed, collector, blocker, translator, filter, detector. */
@Module({
  imports: [
    SampleKafkaModule,
    GokaModule.registerEmitter({ topic: Topics.sent, codec: messageCodec }),
    GokaModule.registerEmitter({ topic: Topics.blockUser, codec: blockEventCodec }),
    GokaModule.registerEmitter({ topic: Topics.translateWord, codec: translationCodec }),
    GokaModule.registerView({ group: Groups.collector, codec: feedCodec }),
    GokaModule.registerView({ group: Groups.blocker, codec: blockValueCodec }),
    GokaModule.registerView({ group: Groups.translator, codec: translationCodec }),
    GokaModule.registerView({ group: Groups.detector, codec: countersCodec }),
  ],
  providers: [CollectorProcessor, BlockerProcessor, TranslatorProcessor, FilterProcessor, DetectorProcessor],
  controllers: [MessagesController, UsersController, TranslationsController],
})
export class MessagingModule {}
