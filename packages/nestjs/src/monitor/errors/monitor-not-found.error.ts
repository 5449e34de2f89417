import { GokaModuleError } from '../../errors/goka-module.error.js';

/**
 * The monitor has no processor, view, query source, action or asset of that name (HTTP 404).
 *
 * @publicApi
 */
export class MonitorNotFoundError extends GokaModuleError {}
