import { GokaModuleError } from '../../errors/goka-module.error.js';

/**
 * A monitor request misses something it needs, such as the key of a query (HTTP 400).
 *
 * @publicApi
 */
export class MonitorBadRequestError extends GokaModuleError {}
