import type { ProcessContext } from '@goka/core';
import { Input, Persist, Processor } from '@goka/nestjs';
import { Groups, Topics } from '../kafka/topics.js';
import { translationCodec } from './messaging.types.js';

/** Keeps the table of word translations (word → translation). */
@Processor(Groups.translator)
@Persist(translationCodec)
export class TranslatorProcessor {
  @Input(Topics.translateWord, translationCodec)
  translate(translation: string, ctx: ProcessContext<string>): void {
    ctx.setValue(translation);
  }
}
