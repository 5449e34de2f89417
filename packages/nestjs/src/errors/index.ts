export type { GokaModuleErrorCode } from './error-codes.js';
export { ComponentNotFoundError } from './component-not-found.error.js';
export { GokaHealthCheckError } from './goka-health-check.error.js';
export { GokaModuleError } from './goka-module.error.js';
export { GokaNotReadyError } from './goka-not-ready.error.js';
export { GokaOptionsError } from './goka-options.error.js';
export { ProcessorDefinitionError } from './processor-definition.error.js';
export type { ProcessorDefinitionErrorDetails, ProcessorDefinitionRule } from './processor-definition.error.js';
