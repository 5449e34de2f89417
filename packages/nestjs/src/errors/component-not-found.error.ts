import { GokaModuleError } from './goka-module.error.js';

/**
 * `GokaRegistry` has no processor, view or emitter of that name.
 *
 * @publicApi
 */
export class ComponentNotFoundError extends GokaModuleError {
  constructor(
    message: string,
    readonly kind: 'processor' | 'view' | 'emitter',
    readonly componentName: string,
  ) {
    super(message);
  }
}
