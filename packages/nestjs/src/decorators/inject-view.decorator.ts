import { Inject } from '@nestjs/common';
import { getViewToken } from '../goka.tokens.js';

/** @publicApi Injects the `View` registered for `table` with `GokaModule.registerView`. */
export const InjectView = (table: string): PropertyDecorator & ParameterDecorator =>
  Inject(getViewToken(table));
