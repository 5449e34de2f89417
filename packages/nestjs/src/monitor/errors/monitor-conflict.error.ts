import { GokaModuleError } from '../../errors/goka-module.error.js';

/**
 * A monitor request conflicts with the current state: starting a running action, stopping an idle
 * one, querying a partition this instance does not hold (HTTP 409).
 *
 * @publicApi
 */
export class MonitorConflictError extends GokaModuleError {}
