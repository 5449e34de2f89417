import { GokaModuleError } from './goka-module.error.js';
import type { GokaModuleErrorCode } from './error-codes.js';

/**
 * `GokaRegistry` has no processor, view or emitter of that name.
 *
 * @publicApi
 */
export class ComponentNotFoundError extends GokaModuleError {
  static readonly code: GokaModuleErrorCode = 'GOKA_COMPONENT_NOT_FOUND';

  constructor(
    message: string,
    readonly kind: 'processor' | 'view' | 'emitter',
    readonly componentName: string,
  ) {
    super(new.target.code, message);
  }
}
