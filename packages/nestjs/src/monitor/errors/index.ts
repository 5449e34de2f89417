export { MonitorBadRequestError } from './monitor-bad-request.error.js';
export { MonitorConflictError } from './monitor-conflict.error.js';
export { MonitorNotFoundError } from './monitor-not-found.error.js';
export { MonitorQueryError } from './monitor-query.error.js';
