import { ProcessorDefinitionError } from './processor-definition.error.js';
import type { ProcessorDefinitionErrorDetails } from './processor-definition.error.js';

/**
 * Two handlers (or one handler twice) take the same input topic. Rule `duplicate-input`.
 *
 * @publicApi
 */
export class DuplicateInputError extends ProcessorDefinitionError {
  constructor(message: string, details: Omit<ProcessorDefinitionErrorDetails, 'rule'>) {
    super(message, { ...details, rule: 'duplicate-input' });
  }
}
