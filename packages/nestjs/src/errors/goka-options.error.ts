import { GokaModuleError } from './goka-module.error.js';

/**
 * `GokaModule` options (or `registerView` / `registerEmitter` options) are unusable: a bad storage
 * setting, a codec conflict (missing or bad `brokers` are core's `KafkaBrokersError`). Thrown while
 * the module's providers are created, so the app does not start.
 *
 * @publicApi
 */
export class GokaOptionsError extends GokaModuleError {}
