import { Inject } from '@nestjs/common';
import { getProcessorToken } from '../goka.tokens.js';

/**
 * Injects the `Processor` of `group`, provided by `GokaModule.forFeature({ processors: [Class] })`
 * (or `{ groups: [group] }`). The processor is created when the module initializes, so the
 * injected value is a handle forwarding to it: use it from `onApplicationBootstrap` on.
 *
 * @publicApi
 */
export const InjectProcessor = (group: string): PropertyDecorator & ParameterDecorator =>
  Inject(getProcessorToken(group));
