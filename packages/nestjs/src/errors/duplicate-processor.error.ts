import { ProcessorDefinitionError } from './processor-definition.error.js';
import type { ProcessorDefinitionErrorDetails } from './processor-definition.error.js';

/**
 * Two classes are `@Processor` of the same group. Rule `duplicate-processor`.
 *
 * @publicApi
 */
export class DuplicateProcessorError extends ProcessorDefinitionError {
  constructor(message: string, details: Omit<ProcessorDefinitionErrorDetails, 'rule'>) {
    super(message, { ...details, rule: 'duplicate-processor' });
  }
}
