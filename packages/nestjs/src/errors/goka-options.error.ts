import { GokaModuleError } from './goka-module.error.js';

/**
 * `GokaModule` options (or `registerView` / `registerEmitter` options) are unusable: no way to
 * reach Kafka, a bad storage setting, a codec conflict. Thrown while the module's providers are
 * created, so the app does not start.
 *
 * @publicApi
 */
export class GokaOptionsError extends GokaModuleError {}
