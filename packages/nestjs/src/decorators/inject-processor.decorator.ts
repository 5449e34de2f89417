import { Inject } from '@nestjs/common';
import { getProcessorToken } from '../goka.tokens.js';

/**
 * Injects the provider of `getProcessorToken(group)`.
 *
 * Note: `GokaModule` does not provide these tokens yet: processors are discovered in `onModuleInit`,
 * after Nest has resolved constructor dependencies, so their tokens cannot be declared up front.
 * Use `GokaRegistry.getProcessor(group)` for the running `Processor` until a registration form exists.
 *
 * @publicApi
 */
export const InjectProcessor = (group: string): PropertyDecorator & ParameterDecorator =>
  Inject(getProcessorToken(group));
