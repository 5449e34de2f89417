import { Inject } from '@nestjs/common';
import { getProcessorToken } from '../goka.tokens.js';

/** @publicApi Injects the running `Processor` of `group` (a class decorated with `@Processor(group)`). */
export const InjectProcessor = (group: string): PropertyDecorator & ParameterDecorator =>
  Inject(getProcessorToken(group));
