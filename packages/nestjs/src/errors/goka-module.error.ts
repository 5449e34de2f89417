import { GokaError } from '@goka/core';

/**
 * Base class of the errors @goka/nestjs throws (itself a core `GokaError`: `name` is the concrete
 * class name, `cause` is passed through).
 *
 * @publicApi
 */
export class GokaModuleError extends GokaError {}
