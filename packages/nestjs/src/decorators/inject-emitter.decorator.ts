import { Inject } from '@nestjs/common';
import { getEmitterToken } from '../goka.tokens.js';

/** @publicApi Injects the `Emitter` registered for `topic` with `GokaModule.registerEmitter`. */
export const InjectEmitter = (topic: string): PropertyDecorator & ParameterDecorator =>
  Inject(getEmitterToken(topic));
